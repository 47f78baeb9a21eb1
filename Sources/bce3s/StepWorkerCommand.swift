import ArgumentParser
import Foundation
import Pipeline
import Steps
import Tensor

/// `bce3s step --job FILE`: the worker process of one step (started by `bce3s run`, not by people).
struct StepWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step",
        abstract: "Run one pipeline step from a job file and write its result file (used by `bce3s run`).",
        shouldDisplay: false)

    @Option(help: "The job file written by the coordinator.") var job: String

    func run() throws {
        let status = StepWorker.runProcess(jobFile: URL(fileURLWithPath: job), registry: StepCatalog.registry,
                                             machine: ComputeEnvironment.summary)
        if status != 0 { throw ExitCode(status) }
    }
}
