import ArgumentParser
import Foundation
import Reports

/// `bce3s report PIPELINE`: writes the pipeline's reproduction report, one self-contained HTML page
/// (`results/report/<pipeline>.html`), from the store and the figure files, without training.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a pipeline's reproduction report (results/report/<pipeline>.html) from the store, without training.",
        discussion: "The page has the claims ledger first, then the tables, the figures (embedded), the deviations from the "
            + "paper and the provenance. It needs no network and no JavaScript.")

    @Argument(help: "Pipeline file (YAML).") var pipeline: String
    @Option(help: "Also look for figure files here by file name (besides the figures step's files and <results>/figures/).")
    var figures: String?
    @Flag(help: ArgumentHelp("Check the page before writing it: every figure found, every image an embedded PNG that decodes, "
                             + "every table with a header row; a page that fails is not written."))
    var check = false
    @Flag(help: "Only print the report's path; write nothing.") var path = false
    @Option(help: ArgumentHelp("Also write the table step's Markdown files (claims.md, main.md, …, tables.md) here, from the "
                               + "store (for a copied results folder whose table step cannot rerun)."))
    var markdown: String?
    @OptionGroup var results: ResultsOptions

    /// Option mistakes are refused before anything is read or written, so a bad `--markdown` never
    /// leaves the page written without its Markdown files.
    func validate() throws {
        if path, let given = [markdown.map { _ in "--markdown" }, check ? "--check" : nil].compactMap({ $0 }).first {
            throw ValidationError("--path only prints the report's path and writes nothing; drop \(given) or --path")
        }
        var isDirectory: ObjCBool = false
        if let figures, !(FileManager.default.fileExists(atPath: figures, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw ValidationError("--figures \(figures): expected a folder of figure files; "
                                  + (FileManager.default.fileExists(atPath: figures) ? "it is a file" : "there is nothing there"))
        }
        if let markdown, FileManager.default.fileExists(atPath: markdown, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ValidationError("--markdown \(markdown): expected a folder to write the Markdown files into; it is a file")
        }
    }

    func run() throws {
        try CommandErrors.reporting {
            let stored = try PipelineResults(pipeline: pipeline, results: results)
            let destination = stored.reportURL
            if path { print(destination.path); return }
            let builder = ReportBuilder(stored: stored, figureDirectory: figures.map { URL(fileURLWithPath: $0) })
            let report = try builder.report()
            let markdownFiles = markdown == nil ? [] : try builder.markdownFiles()
            let html = report.html()
            let missing = report.figures.filter { $0.png == nil }.map(\.name)
            if check {
                // Checked before it is written: a page that fails replaces nothing.
                let problems = HTMLStructureCheck.problems(in: html) + missing.map { "figure \($0) missing" }
                guard problems.isEmpty else {
                    throw ValidationError("the report for \(destination.path) fails the structural check, so it was not written: "
                                          + problems.joined(separator: "; "))
                }
            }
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(html.utf8).write(to: destination, options: .atomic)
            let counts = HTMLStructureCheck.counts(in: html)
            print("report: \(results.directory)/\(stored.reportPath) (\(counts.images) figures, \(counts.tables) tables; claims: \(report.ledger.countsText))")
            if let markdown {
                let folder = URL(fileURLWithPath: markdown)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for (file, text) in markdownFiles {
                    try Data(text.utf8).write(to: folder.appendingPathComponent(file), options: .atomic)
                    print("wrote \(markdown)/\(file)")
                }
            }
            if !missing.isEmpty { CommandErrors.printError("warning: figure files not found: \(missing.joined(separator: ", "))") }
            if check { print("check: every image is an embedded PNG that decodes, every table has a header row") }
        }
    }
}
