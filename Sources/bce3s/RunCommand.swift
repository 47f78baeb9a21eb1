import ArgumentParser
import Foundation
import Pipeline
import Steps
import Store

/// `bce3s run PIPELINE`: runs a pipeline, reusing cached steps, each step in its own worker process.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline: cached steps are reused, the rest run as worker processes.",
        discussion: "Exit status: 0 all steps succeeded, 1 a step failed (its dependents were skipped), "
            + "2 the pipeline file is invalid (nothing ran).")

    @Argument(help: "Pipeline file (YAML).") var pipeline: String
    @Option(help: "Directory of the datasets.") var dataDir: String = "results/data"
    @Option(help: "Steps running at once (heavy steps such as training: one at a time).") var jobs: Int = 2
    @Flag(help: "Print the plan and exit without running anything.") var dryRun = false
    @Option(help: "Run this step even if cached (name or pattern; repeatable).") var force: [String] = []
    @Option(help: "Run only this step and what it needs (name or pattern; repeatable).") var only: [String] = []
    @Option(help: "Seconds between progress lines of running steps.") var progressEvery: Double = 10
    @Option(help: "Steps that may only be reused: one not cached fails instead of running (name or pattern; repeatable).")
    var reuseOnly: [String] = []
    @OptionGroup var results: ResultsOptions

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        guard progressEvery > 0 else { throw ValidationError("--progress-every must be positive, got \(progressEvery)") }
    }

    func run() throws {
        try CommandErrors.reporting {
            let whole = try PipelineLoading.graph(pipeline, dataDirectory: dataDir)
            let graph = only.isEmpty ? whole : whole.restricted(to: try PipelineLoading.names(only, option: "--only", in: whole))
            let forced = try PipelineLoading.names(force, option: "--force", in: graph)
            let reusedOnly = try PipelineLoading.names(reuseOnly, option: "--reuse-only", in: graph)
            let layout = results.layout
            if dryRun {
                let store = try PipelineLoading.existingStore(layout)
                try PipelineLoading.printPlan(graph, try Planner.plan(graph, forced: forced, cache: StoreCache(store: store, layout: layout)),
                                          store: store)
                return
            }
            guard let lock = try FileLock(layout.runLock, wait: false) else {
                throw ValidationError("another `bce3s run` is using \(layout.root.path); wait for it to finish")
            }
            defer { withExtendedLifetime(lock) {} }
            let store = try ExperimentStore.openForWriting(at: layout.store)
            let coordinator = Coordinator(
                graph: graph, layout: layout, store: store, executor: LocalProcessExecutor(executable: Self.executable),
                options: RunOptions(jobs: jobs, forced: forced, reuseOnly: reusedOnly, dataDirectory: URL(fileURLWithPath: dataDir),
                                   progressInterval: progressEvery))
            let record = RunRecord(pipeline: pipeline, pipelineSHA256: try Digest.sha256(file: URL(fileURLWithPath: pipeline)).sha256,
                                   argv: CommandLine.arguments.joined(separator: " "), startedAt: Date(),
                                   status: .running, codeVersion: Self.codeVersion)
            let summary = try coordinator.run(record, onEvent: Self.print)
            Swift.print("run \(summary.runID): \(summary.steps.count) steps, \(summary.count(.ran)) ran, "
                        + "\(summary.count(.reused)) reused, \(summary.count(.failed)) failed, \(summary.count(.skipped)) skipped")
            if !summary.succeeded { throw ExitCode(1) }
        }
    }

    private static func print(_ event: RunEvent) {
        defer { fflush(stdout) }
        switch event {
        case .started(let name, let key, let reason):
            Swift.print("start   \(name)  [\(key.prefix(12))] \(reason)")
        case .progress(let name, let line):
            Swift.print("        \(name): \(line)")
        case .finished(let report):
            let seconds = report.seconds.map { String(format: "  %.2f s", $0) } ?? ""
            let detail = report.outcome == .reused && report.reason == StepDecision.cachedReason ? "" : "  \(report.reason)"
            Swift.print("\(report.outcome.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(report.name)\(seconds)\(detail)")
        }
    }

    /// This binary, which the workers run as `bce3s step`.
    static var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }

    /// The git commit of the working directory, recorded with each run (`unknown` outside a repository).
    static var codeVersion: String {
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "describe", "--always", "--dirty", "--abbrev=12"]
        let pipe = Pipe()
        git.standardOutput = pipe
        git.standardError = FileHandle.nullDevice
        guard (try? git.run()) != nil else { return "unknown" }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        git.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return git.terminationStatus == 0 && !text.isEmpty ? text : "unknown"
    }
}
