import ArgumentParser
import Foundation
import Reports

/// `bce3s claims PIPELINE`: the claims ledger of a pipeline's stored runs, printed without running
/// or writing anything (the `table` step writes the same ledger to `claims.md`).
struct ClaimsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims",
        abstract: "Print the claims ledger of a pipeline's stored runs (a verdict per claim), without training.",
        discussion: "Reads the runs the pipeline's table step reads, from the latest runs of that pipeline in the store. "
            + "Verdicts: supported / contradicted / inconclusive (≥ 2 seeds per side, Welch 95 % interval), "
            + "indicative, for or against (one seed: the side its single difference lies on), not run (runs missing).")

    @Argument(help: "Pipeline file (YAML).") var pipeline: String
    @Flag(help: "Print only the verdict counts and where the ledger (claims.md, once a table step wrote it) and the report (once `bce3s report` wrote it) are.")
    var summary = false
    @OptionGroup var results: ResultsOptions

    func run() throws {
        try CommandErrors.reporting {
            let stored = try PipelineResults(pipeline: pipeline, results: results)
            let ledger = try stored.ledger(), markdown = ledger.markdown()
            if !summary { print(markdown) }
            var line = "claims: \(ledger.countsText)"
            if let path = stored.ledgerPath(current: markdown) { line += "; ledger: \(path)" }
            let report = results.layout.root.appendingPathComponent(stored.reportPath)
            line += FileManager.default.fileExists(atPath: report.path) ? "; report: \(results.directory)/\(stored.reportPath)"
                : "; no report yet (`bce3s report` writes it)"
            print(line)
        }
    }
}
