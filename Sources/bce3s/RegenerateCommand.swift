import ArgumentParser
import Foundation
import Pipeline
import Store

/// `bce3s figures PIPELINE` / `bce3s table PIPELINE`: redraw a pipeline's figures or tables from
/// the store, never training. Runs the pipeline's steps of that kind and what they need, with
/// every other step reuse-only; a cached figure or table step is reused and republished unless
/// `--force` redraws it. Before anything is written it checks that the store exists and that every
/// step needed is cached here with its files: a folder holding only a store (a committed
/// reference without weights) is refused, naming the step, and left as it was.
struct RegenerateOptions: ParsableArguments {
    @Argument(help: "Pipeline file (YAML).") var pipeline: String
    @Flag(help: "Redraw even if the figure or table step is cached.") var force = false
    @Option(help: "Directory of the datasets, as given to `bce3s run`: the dataset step's cache key depends on the files there (nothing trains; every step but the redrawn ones must be cached).")
    var dataDir: String = "results/data"
    @OptionGroup var results: ResultsOptions

    /// `bce3s run` arguments that regenerate the steps of `kind`.
    func runArguments(kind: String) throws -> [String] {
        let graph = try CommandErrors.reporting { try PipelineLoading.graph(pipeline, dataDirectory: dataDir) }
        let targets = graph.steps.filter { $0.kind == kind }.map(\.name)
        guard !targets.isEmpty else { throw ValidationError("\(pipeline) has no step of kind '\(kind)'") }
        let needed = graph.restricted(to: Set(targets)).steps.map(\.name).filter { !targets.contains($0) }
        try CommandErrors.reporting { try requireCached(needed, of: graph) }
        return [pipeline, "--data-dir", dataDir, "--results", results.directory]
            + targets.flatMap { ["--only", $0] + (force ? ["--force", $0] : []) }
            + needed.flatMap { ["--reuse-only", $0] }
    }
}

extension RegenerateOptions {
    /// Throws, naming the first one, when a step of `needed` would have to run: no store here, or
    /// the step's result (or one of its files) is not in this folder.
    private func requireCached(_ needed: [String], of graph: PipelineGraph) throws {
        let layout = results.layout
        guard let store = try PipelineLoading.existingStore(layout) else { throw StoreError.missing(layout.store) }
        let decisions = try Planner.plan(graph, forced: [], cache: StoreCache(store: store, layout: layout))
        for (step, decision) in zip(graph.steps, decisions) where needed.contains(step.name) {
            if case .reuse = decision { continue }
            if step.kind == "dataset", !Self.lacksStoredFiles(decision) {
                throw ValidationError("\(step.name) is not cached in \(layout.root.path) for the data in \(dataDir) "
                                      + "(\(decision.reasonText)): its cache key depends on the dataset files it finds there, "
                                      + "so give the --data-dir the run used")
            }
            throw ValidationError("\(step.name) is not cached in \(layout.root.path) (\(decision.reasonText)), so nothing can be "
                                  + "redrawn from this folder; for a folder that holds only a store, `bce3s report "
                                  + "\(pipeline) --results \(results.directory) --markdown DIR` writes the tables")
        }
    }

    /// Whether the step would run because files of its stored result are not in this folder (the
    /// data are the run's; the folder holds the store without the artifacts).
    private static func lacksStoredFiles(_ decision: StepDecision) -> Bool {
        guard case .run(_, let reasons) = decision else { return false }
        return reasons.contains { if case .artifactsMissing = $0 { return true }; return false }
    }
}

extension RegenerateOptions {
    /// Runs the steps of `kind` as `runArguments` says, then lists the files they published (what
    /// changed, or was refreshed, and where: `tables/<step>/…`, `figures/<step>/…`).
    func regenerate(kind: String) throws {
        try RunCommand.parse(try runArguments(kind: kind)).run()
        try CommandErrors.reporting {
            let layout = results.layout
            let store = try ExperimentStore.openReadOnly(at: layout.store)
            guard let run = try store.latestRun(), let id = run.id else { return }
            let keys = try store.runSteps(ofRun: id).filter { $0.outcome == .ran || $0.outcome == .reused }.compactMap(\.stepKey)
            let steps = try Set(keys.filter { try store.step(key: $0)?.kind == kind })
            for path in try store.publishedArtifacts(ofSteps: Array(steps)).compactMap(\.publishedPath).sorted() {
                print("published  \(layout.file(path).path)")
            }
        }
    }
}

struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures", abstract: "Redraw a pipeline's figures from the store (results/figures/…), without training.")
    @OptionGroup var options: RegenerateOptions
    func run() throws { try options.regenerate(kind: "figures") }
}

struct TableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table", abstract: "Rebuild a pipeline's Markdown tables from the store (results/tables/…), without training.")
    @OptionGroup var options: RegenerateOptions
    func run() throws { try options.regenerate(kind: "table") }
}
