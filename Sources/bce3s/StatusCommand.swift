import ArgumentParser
import Foundation
import Pipeline
import Steps
import Store
import Training

/// `bce3s status PIPELINE`: for every step, whether it would be reused or run, and why; then the steps
/// in flight with their jobs (Slurm job ids and states from `squeue`). Read-only.
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
            try PipelineLoading.printPlan(graph, decisions, store: store, layout: results.layout)
            Self.printCheckpoints(graph, decisions, layout: results.layout)
            try Self.printTrainingLeft(graph, decisions, store: store, layout: results.layout)
            if let store { try Self.printInFlight(try store.stepsInFlight()) }
        }
    }

    /// One line per step that will run and has left work behind (a training's checkpoint): where a rerun resumes.
    static func printCheckpoints(_ graph: PipelineGraph, _ decisions: [StepDecision], layout: ResultsLayout) {
        let lines = zip(graph.steps, decisions).compactMap { step, decision -> String? in
            guard case .run = decision, let key = decision.key,
                  let progress = StepCatalog.registry.kind(named: step.kind)?.progress(workDirectory: layout.work(key)) else { return nil }
            return "  \(step.name): \(progress)"
        }
        guard !lines.isEmpty else { return }
        print("checkpoints (a rerun resumes after them):")
        lines.forEach { print($0) }
    }

    /// How long the trainings that will run need here (`TrainingTimeEstimate`), one line each
    /// and in all; nothing when none will run.
    static func printTrainingLeft(_ graph: PipelineGraph, _ decisions: [StepDecision], store: ExperimentStore?,
                                  layout: ResultsLayout) throws {
        let pending = zip(graph.steps, decisions).filter { step, decision in
            if case .run = decision { return step.kind == "train" }
            return false
        }.map { (name: $0.name, key: $1.key, parameters: $0.parameters) }
        guard !pending.isEmpty else { return }
        let estimate = try TrainingTimeEstimate(pending: pending, store: store, layout: layout)
        print("training left (median epoch times of its checkpoint, or of a stored run with the same data, subset, model, "
              + "precision, batch size, augmentation, views per image, evaluation interval and threads):")
        for line in estimate.lines { print(line) }
    }

    /// One line per step in flight: its executor, job id and, for Slurm jobs, the state `squeue` gives.
    static func printInFlight(_ steps: [RunStepRecord]) throws {
        guard !steps.isEmpty else { return }
        let queue = steps.contains { $0.executor == "slurm" } ? SlurmCluster().queue() : nil
        let width = max(4, steps.map(\.name.count).max() ?? 0)
        print("in flight:")
        for step in steps {
            print("  " + step.name.padding(toLength: width, withPad: " ", startingAt: 0)
                  + "  run \(step.runID)  \(jobState(step, queue: queue))")
        }
    }

    /// "local job 24604  running" / "slurm job 812  PENDING": the step's job and whether it still
    /// runs (a local worker's process exists; a Slurm job's state in `queue`, from `squeue`).
    static func jobState(_ step: RunStepRecord, queue: [String: SlurmJob]?) -> String {
        let job = step.jobID ?? "?"
        var text = "\(step.executor ?? "?") job \(job)"
        if step.executor == "slurm" {
            text += "  " + (queue.map { $0[job]?.state ?? "not in squeue" } ?? "squeue failed")
        } else if step.executor == "local", let pid = Int32(job) {
            text += kill(pid, 0) == 0 ? "  running" : "  gone"
        }
        return text
    }
}
