import ArgumentParser
import Foundation
import Pipeline
import Steps
import Store

/// `bce3s run PIPELINE`: runs a pipeline, reusing cached steps, each step in its own worker process.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline: cached steps are reused, the rest run as worker processes or Slurm jobs.",
        discussion: "Exit status: 0 all steps succeeded, 1 a step failed (its dependents were skipped), "
            + "2 the pipeline file is invalid (nothing ran), 64 a usage error (a bad option or value; nothing ran), "
            + "130/143 interrupted by SIGINT/SIGTERM, 141 when the reader of its output went away (`| head`): "
            + "jobs in flight cancelled; the next run resumes them.")

    @Argument(help: "Pipeline file (YAML).") var pipeline: String
    @Option(help: "Directory of the datasets.") var dataDir: String = "results/data"
    @Option(parsing: .unconditional, help: "Steps running at once (default 2 locally, where heavy steps such as training run one at a time; 100 with Slurm, which places every step).")
    var jobs: Int?
    @Flag(help: "Print the plan and exit without running anything.") var dryRun = false
    @Option(help: "Run this step even if cached (name or pattern; repeatable).") var force: [String] = []
    @Option(help: "Run only this step and what it needs (name or pattern; repeatable).") var only: [String] = []
    @Option(parsing: .unconditional, help: "Seconds between progress lines of running steps.") var progressEvery: Double = 10
    @Option(help: "Steps that may only be reused: one not cached fails instead of running (name or pattern; repeatable).")
    var reuseOnly: [String] = []
    @OptionGroup var results: ResultsOptions
    @OptionGroup var execution: ExecutorOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        guard progressEvery > 0 else { throw ValidationError("--progress-every must be positive, got \(progressEvery)") }
    }

    func run() throws {
        try CommandErrors.reporting {
            let whole = try PipelineLoading.graph(pipeline, dataDirectory: dataDir)
            let graph = only.isEmpty ? whole : whole.restricted(to: try PipelineLoading.names(only, option: "--only", in: whole))
            let forced = try PipelineLoading.names(force, option: "--force", in: graph)
            let reusedOnly = try PipelineLoading.names(reuseOnly, option: "--reuse-only", in: graph)
            if let both = forced.intersection(reusedOnly).sorted().first {
                throw ValidationError("\(both) is both forced (--force) and reuse-only (--reuse-only): choose one")
            }
            let layout = results.layout
            if dryRun {
                let store = try PipelineLoading.existingStore(layout)
                try PipelineLoading.printPlan(graph, try Planner.plan(graph, forced: forced, cache: StoreCache(store: store, layout: layout)),
                                          store: store, layout: layout, reuseOnly: reusedOnly)
                return
            }
            guard let lock = try FileLock(layout.runLock, wait: false, holder: "`bce3s run`") else {
                throw ValidationError("\(FileLock.holder(of: layout.runLock) ?? "another bce3s command") is using \(layout.root.path); "
                                      + "wait for it to finish")
            }
            defer { withExtendedLifetime(lock) {} }
            let executor = try execution.makeExecutor(pipeline: pipeline, graph: whole, executable: Self.executable) {
                let store = try PipelineLoading.existingStore(layout)
                return try Planner.plan(graph, forced: forced, cache: StoreCache(store: store, layout: layout)).contains {
                    if case .run = $0 { return true } else { return false }
                }
            }
            let store = try ExperimentStore.openForWriting(at: layout.store)
            // However the run ends (an interruption exits without closing the store), store.sqlite alone holds it.
            defer { try? store.checkpointLog() }
            let jobs = self.jobs ?? execution.defaultJobs
            let coordinator = Coordinator(
                graph: graph, layout: layout, store: store, executor: executor,
                options: RunOptions(jobs: jobs, heavyJobs: execution.executor == .slurm ? jobs : 1, forced: forced,
                                   reuseOnly: reusedOnly, dataDirectory: URL(fileURLWithPath: dataDir),
                                   progressInterval: progressEvery, resubmissions: execution.resubmissions))
            if let warning = CodeVersion.warning(resultsDirectory: layout.root) { CommandErrors.printError(warning) }
            let record = RunRecord(pipeline: pipeline, pipelineSHA256: try Digest.sha256(file: URL(fileURLWithPath: pipeline)).sha256,
                                   argv: CommandLine.arguments.joined(separator: " "), startedAt: Date(),
                                   status: .running, codeVersion: CodeVersion.current(resultsDirectory: layout.root), dependencies: CodeVersion.dependencies())
            let signals = RunSignals { signal in coordinator.interrupt(signal: signal) }
            defer { withExtendedLifetime(signals) {} }
            let summary: RunSummary
            let report = { (event: RunEvent) in
                Self.print(event)
                if RunSignals.outputIsBroken { coordinator.interrupt(signal: SIGPIPE) }
            }
            do { summary = try coordinator.run(record, onEvent: report) } catch let interruption as RunInterrupted {
                CommandErrors.printError("\(interruption); the next `bce3s run` resumes its steps")
                throw ExitCode(128 + interruption.signal)
            }
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
        case .submitted(let name, let executor, let job, let adopted) where executor != "local":
            Swift.print("        \(name): \(adopted ? "adopted \(executor) job \(job), submitted by an earlier run" : "\(executor) job \(job)")")
        case .submitted: break
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
}
