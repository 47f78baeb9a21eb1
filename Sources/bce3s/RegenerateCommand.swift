import ArgumentParser
import Foundation
import Pipeline

/// `bce3s figures PIPELINE` / `bce3s table PIPELINE`: redraw a pipeline's figures or tables from
/// the store, never training. Runs the pipeline's steps of that kind and what they need, with
/// every other step reuse-only (one not cached fails the run and names the step to run first);
/// a cached figure or table step is reused and republished unless `--force` redraws it.
struct RegenerateOptions: ParsableArguments {
    @Argument(help: "Pipeline file (YAML).") var pipeline: String
    @Flag(help: "Redraw even if the figure or table step is cached.") var force = false
    @Option(help: "Directory of the datasets (only read if an analysis must be redone).") var dataDir: String = "results/data"
    @OptionGroup var results: ResultsOptions

    /// `bce3s run` arguments that regenerate the steps of `kind`.
    func runArguments(kind: String) throws -> [String] {
        let graph = try CommandErrors.reporting { try PipelineLoading.graph(pipeline, dataDirectory: dataDir) }
        let targets = graph.steps.filter { $0.kind == kind }.map(\.name)
        guard !targets.isEmpty else { throw ValidationError("\(pipeline) has no step of kind '\(kind)'") }
        let needed = graph.restricted(to: Set(targets)).steps.map(\.name).filter { !targets.contains($0) }
        return [pipeline, "--data-dir", dataDir, "--results", results.directory]
            + targets.flatMap { ["--only", $0] + (force ? ["--force", $0] : []) }
            + needed.flatMap { ["--reuse-only", $0] }
    }
}

struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures", abstract: "Redraw a pipeline's figures from the store (results/figures/…), without training.")
    @OptionGroup var options: RegenerateOptions
    func run() throws { try RunCommand.parse(try options.runArguments(kind: "figures")).run() }
}

struct TableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table", abstract: "Rebuild a pipeline's Markdown tables from the store (results/tables/…), without training.")
    @OptionGroup var options: RegenerateOptions
    func run() throws { try RunCommand.parse(try options.runArguments(kind: "table")).run() }
}
