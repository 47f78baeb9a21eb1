import Foundation
import Store

/// How a run schedules its steps.
public struct RunOptions: Sendable {
    /// Steps running at once.
    public var jobs: Int
    /// Heavy steps (training) running at once; on 2 cores one training plus light steps beside it.
    public var heavyJobs: Int
    /// Names of steps to run even if cached.
    public var forced: Set<String>
    /// Names of steps that may only be reused: if one is not cached it fails instead of running
    /// (regenerating figures must never start a training).
    public var reuseOnly: Set<String>
    public var dataDirectory: URL
    /// Seconds between progress events of running steps.
    public var progressInterval: TimeInterval
    /// How often one step may be submitted again in this run after its job was stopped from outside
    /// (`ExternalStop`: a time limit, preemption, a failed node); the new job resumes its checkpoint.
    public var resubmissions: Int

    public init(jobs: Int = 2, heavyJobs: Int = 1, forced: Set<String> = [], reuseOnly: Set<String> = [],
                dataDirectory: URL, progressInterval: TimeInterval = 10, resubmissions: Int = 0) {
        self.jobs = max(1, jobs); self.heavyJobs = max(1, heavyJobs)
        self.forced = forced; self.reuseOnly = reuseOnly; self.dataDirectory = dataDirectory
        self.progressInterval = progressInterval; self.resubmissions = max(0, resubmissions)
    }
}

/// What happened to one step in a run.
public struct StepReport: Equatable, Sendable {
    public var name: String
    public var outcome: RunStepRecord.Outcome
    public var key: String?
    public var reason: String
    public var seconds: Double?
}

/// Progress of a run, for the terminal.
public enum RunEvent: Sendable {
    case started(name: String, key: String, reason: String)
    /// The executor took the step: a new job, or (`adopted`) one an earlier coordinator started.
    case submitted(name: String, executor: String, job: String, adopted: Bool)
    /// The latest line a running step wrote to its log, sent every `RunOptions.progressInterval`.
    case progress(name: String, line: String)
    case finished(StepReport)
}

/// The outcome of a whole run: one report per step, in the order the steps settled.
public struct RunSummary: Sendable {
    public var runID: Int64
    public var steps: [StepReport]

    public func count(_ outcome: RunStepRecord.Outcome) -> Int { steps.filter { $0.outcome == outcome }.count }
    public var succeeded: Bool { count(.failed) == 0 && count(.skipped) == 0 }
}

/// A run stopped by SIGINT or SIGTERM: its jobs in flight were cancelled and the run recorded as
/// `interrupted`; the next run resumes the steps from their work directories.
public struct RunInterrupted: Error, CustomStringConvertible {
    public var runID: Int64
    public var signal: Int32
    public var executor: String
    public var cancelledJobs: [String]

    public var description: String {
        let name = [SIGINT: "SIGINT", SIGTERM: "SIGTERM", SIGPIPE: "SIGPIPE (its output's reader closed the pipe)"][signal]
            ?? "signal \(signal)"
        let jobs = cancelledJobs.isEmpty ? "" : "; cancelled \(executor) jobs \(cancelledJobs.joined(separator: ", "))"
        return "run \(runID) interrupted by \(name)\(jobs)"
    }
}

/// Runs a pipeline graph: decides each step once its inputs are settled, starts workers through the
/// executor within the job limits, ingests their result files, and is the store's only writer.
/// A failed step skips its dependents; independent steps go on.
public final class Coordinator {
    enum State {
        case waiting
        case running(key: String, reason: String, inputs: [(name: String, steps: [Int])])
        case done(key: String, digest: String)
        case failed, skipped
    }

    let graph: PipelineGraph
    let layout: ResultsLayout
    let store: ExperimentStore
    let executor: any StepExecutor
    let options: RunOptions
    var states: [State]
    var runID: Int64 = 0
    /// The code version of this run (`RunRecord.codeVersion`), to flag results computed by other code.
    var codeVersion = ""
    var reports: [StepReport] = []
    var pendingRecords: [RunStepRecord] = []
    var onEvent: (RunEvent) -> Void = { _ in }
    var lastProgress: [Int: String] = [:]
    /// The executor's job id of each step in flight, by step index.
    var jobs: [Int: String] = [:]
    /// When each step in flight was handed to the executor, by index: the step's time when its worker
    /// dies without writing a result file (killed from outside, crashed).
    var launchedAt: [Int: Date] = [:]
    /// Of each step in flight, by index: its work directory when its job started, and its
    /// resubmissions in this run (`Coordinator+Resubmission`).
    var workAtLaunch: [Int: WorkDirectorySnapshot] = [:]
    var resubmissions: [Int: Resubmissions] = [:]
    let mailbox = Mailbox()

    public init(graph: PipelineGraph, layout: ResultsLayout, store: ExperimentStore, executor: any StepExecutor,
                options: RunOptions) {
        self.graph = graph; self.layout = layout; self.store = store; self.executor = executor
        self.options = options
        self.states = Array(repeating: .waiting, count: graph.steps.count)
    }

    /// Runs every step of the graph (reusing what is cached) and records the run in the store.
    public func run(_ run: RunRecord, onEvent: @escaping (RunEvent) -> Void = { _ in }) throws -> RunSummary {
        self.onEvent = onEvent
        codeVersion = run.codeVersion
        runID = try store.beginRun(run)
        do {
            while true {
                if let signal = mailbox.interruption { throw try stop(interruptedBy: signal) }
                try scheduleReadySteps()
                try store.record(pendingRecords)
                pendingRecords = []
                guard states.contains(where: { if case .running = $0 { return true } else { return false } }) else { break }
                guard let (index, exit) = mailbox.take(waitingAtMost: options.progressInterval) else {
                    reportProgress()
                    continue
                }
                guard let exit = try resubmittingIfStoppedFromOutside(index, exit: exit) else { continue }
                try settle(index, exit: exit)
            }
            try publishReusedArtifacts()
        } catch let interruption as RunInterrupted {
            throw interruption
        } catch {
            abandon(because: error)
            throw error
        }
        let summary = RunSummary(runID: runID, steps: reports)
        try store.finishRun(runID, status: summary.succeeded ? .succeeded : .failed)
        return summary
    }

    /// After an error that stops the run (store or disk failure): marks the run failed and its
    /// steps in flight interrupted, naming the error — when the store still takes the write — and
    /// removes the staging folders of steps still running.
    private func abandon(because error: Error) {
        try? store.endRun(runID, status: .failed, inFlightReason: "the run stopped on an error: \(error)")
        removeStagingOfRunningSteps()
    }

    /// Removes the staging folders of the steps still running, whose results no one will ingest
    /// (a rerun writes a fresh one). Work directories stay, so a rerun resumes their checkpoints.
    private func removeStagingOfRunningSteps() {
        for state in states {
            if case .running(let key, _, _) = state { try? FileManager.default.removeItem(at: layout.staging(key)) }
        }
    }

    /// Stops a running `run` from any thread (a SIGINT or SIGTERM handler): it cancels the jobs in
    /// flight, records the run as interrupted and throws `RunInterrupted`.
    public func interrupt(signal: Int32) { mailbox.interrupt(signal) }

    private func stop(interruptedBy signal: Int32) throws -> RunInterrupted {
        let cancelled = executor.cancelAll()
        removeStagingOfRunningSteps()
        let interruption = RunInterrupted(runID: runID, signal: signal, executor: executor.name, cancelledJobs: cancelled)
        try store.record(pendingRecords)
        pendingRecords = []
        try store.interruptRun(runID, reason: interruption.description)
        return interruption
    }

    /// Walks the steps in graph order (inputs come first), settling cached ones and starting what fits.
    private func scheduleReadySteps() throws {
        var load = runningLoad()
        for (index, step) in graph.steps.enumerated() {
            guard case .waiting = states[index] else { continue }
            let upstream = step.upstream
            let broken = upstream.filter { if case .failed = states[$0] { return true }; if case .skipped = states[$0] { return true }; return false }
            if !broken.isEmpty {
                finish(index, .skipped, key: nil, reason: "input failed: " + broken.map { graph.steps[$0].name }.joined(separator: ", "))
                continue
            }
            let digests = upstream.compactMap { i -> (Int, String)? in
                if case .done(_, let digest) = states[i] { return (i, digest) } else { return nil }
            }
            guard digests.count == upstream.count else { continue }
            let digestOf = Dictionary(uniqueKeysWithValues: digests)
            let inputDigests = step.inputs.map { ($0.name, $0.steps.map { digestOf[$0]! }) }
            let decision = try Planner.decide(step, inputDigests: inputDigests, forced: options.forced.contains(step.name),
                                              cache: StoreCache(store: store, layout: layout))
            switch decision {
            case .reuse(let key, let digest):
                states[index] = .done(key: key, digest: digest)
                finish(index, .reused, key: key, reason: try ReuseProvenance.reason(key: key, store: store, currentCode: codeVersion))
            case .run(_, _) where options.reuseOnly.contains(step.name):
                finish(index, .failed, key: nil, reason: "not cached (\(decision.reasonText)) and this run may only reuse it")
            case .run(let key, _):
                let key = key!
                guard hasCapacity(for: step, load), !isRunning(key) else { continue }
                try launch(index, key: key, reason: decision.reasonText)
                load.running += 1
                if step.resources == .heavy { load.heavy += 1 }
            }
        }
    }

    /// Steps running now, and how many of them are heavy: counted once per scheduling pass.
    private func runningLoad() -> (running: Int, heavy: Int) {
        var running = 0, heavy = 0
        for (index, state) in states.enumerated() {
            guard case .running = state else { continue }
            running += 1
            if graph.steps[index].resources == .heavy { heavy += 1 }
        }
        return (running, heavy)
    }

    private func hasCapacity(for step: GraphStep, _ load: (running: Int, heavy: Int)) -> Bool {
        load.running < options.jobs && (step.resources == .light || load.heavy < options.heavyJobs)
    }

    /// Two steps with the same key compute the same thing: the second waits and then reuses.
    private func isRunning(_ key: String) -> Bool {
        states.contains { if case .running(let k, _, _) = $0 { return k == key } else { return false } }
    }

    /// Reports a settled step and records it in the next batch, unless its ingest transaction
    /// already did (`ingested`: it ran).
    func finish(_ index: Int, _ outcome: RunStepRecord.Outcome, key: String?, reason: String, seconds: Double? = nil,
                ingested: Bool = false) {
        if outcome == .skipped { states[index] = .skipped }
        if outcome == .failed { states[index] = .failed }
        let name = graph.steps[index].name
        if !ingested {
            pendingRecords.append(RunStepRecord(runID: runID, name: name, stepKey: key, outcome: outcome, reason: reason))
        }
        let report = StepReport(name: name, outcome: outcome, key: key, reason: reason, seconds: seconds)
        reports.append(report)
        onEvent(.finished(report))
    }
}

/// Completed worker exits, posted from executor threads and taken by the coordinator, and the
/// signal that interrupts the run.
final class Mailbox: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [(Int, WorkerExit)] = []
    private var signal: Int32?

    func post(_ index: Int, _ exit: WorkerExit) {
        condition.lock()
        items.append((index, exit))
        condition.signal()
        condition.unlock()
    }

    func interrupt(_ signal: Int32) {
        condition.lock()
        self.signal = self.signal ?? signal
        condition.signal()
        condition.unlock()
    }

    /// The first signal received, if any.
    var interruption: Int32? {
        condition.lock()
        defer { condition.unlock() }
        return signal
    }

    /// The next exit, or nil if none arrives within `seconds` or the run is interrupted.
    func take(waitingAtMost seconds: TimeInterval) -> (Int, WorkerExit)? {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && signal == nil {
            guard condition.wait(until: deadline) else { return nil }
        }
        return signal == nil ? items.removeFirst() : nil
    }
}
