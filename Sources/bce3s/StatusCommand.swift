import ArgumentParser
import Pipeline

/// `bce3s status PIPELINE`: for every step, whether it would be reused or run, and why. Read-only.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show, for every step of a pipeline, whether it is cached or will run, and why.")

    @Argument(help: "Pipeline file (YAML).") var pipeline: String
    @Option(help: "Treat this step as forced (name or pattern; repeatable).") var force: [String] = []
    @Option(help: "Directory of the datasets (decides whether a dataset step is cached).") var dataDir: String = "results/data"
    @OptionGroup var results: ResultsOptions

    func run() throws {
        try CommandErrors.reporting {
            let graph = try PipelineLoading.graph(pipeline, dataDirectory: dataDir)
            let forced = try PipelineLoading.names(force, option: "--force", in: graph)
            let store = try PipelineLoading.existingStore(results.layout)
            let decisions = try Planner.plan(graph, forced: forced, cache: StoreCache(store: store, layout: results.layout))
            try PipelineLoading.printPlan(graph, decisions, store: store)
        }
    }
}
