import Foundation

/// Starts workers. The coordinator writes the job file, asks an executor to run it, and reads the
/// result file when `finished` is called. Every executor runs the same worker, `bce3s step --job
/// FILE`: a local child process (`LocalProcessExecutor`) or a Slurm batch job (`SlurmExecutor`).
public protocol StepExecutor: Sendable {
    /// Recorded in `run_step.executor`: `local`, `slurm`, `in-process`.
    var name: String { get }
    /// Starts the step described by `step.jobFile`, sending its output to `step.log`, and returns the
    /// job's id (a pid, a Slurm job id). Calls `finished` exactly once, on any thread, when it ends.
    func launch(_ step: StepLaunch, finished: @escaping @Sendable (WorkerExit) -> Void) throws -> String
    /// Takes over a worker of this step that an earlier coordinator started and that is still queued or
    /// running (or that ended leaving its result file), instead of starting a duplicate. Returns its
    /// id, or nil if there is none; `finished` is then called as for `launch`.
    func adopt(_ step: StepLaunch, finished: @escaping @Sendable (WorkerExit) -> Void) throws -> String?
    /// Stops every worker this executor started or adopted that has not ended (the coordinator got
    /// SIGINT or SIGTERM). Returns their ids.
    func cancelAll() -> [String]
}

extension StepExecutor {
    public func adopt(_ step: StepLaunch, finished: @escaping @Sendable (WorkerExit) -> Void) throws -> String? { nil }
    public func cancelAll() -> [String] { [] }
}

/// One step handed to an executor: its files, and what a scheduler needs to name and size its job.
public struct StepLaunch: Sendable {
    public var jobFile: URL
    /// Where the worker writes its `WorkerResult` (an executor may watch it to notice the end).
    public var resultFile: URL
    public var log: URL
    public var pipeline: String
    public var step: String
    public var kind: String
    public var key: String
    public var resources: StepResources
    /// Threads the step computes with (`StepKind.threads`): the CPUs a batch job asks for.
    public var threads: Int
    /// The results directory: with the key, it tells a job of this run from one of another.
    public var resultsDirectory: URL
    /// Append to `log` instead of starting it afresh: a resubmitted job continues the log of the job
    /// it resumes.
    public var appendsToLog: Bool

    public init(jobFile: URL, resultFile: URL, log: URL, pipeline: String, step: String, kind: String, key: String,
                resources: StepResources, threads: Int, resultsDirectory: URL, appendsToLog: Bool = false) {
        self.jobFile = jobFile; self.resultFile = resultFile; self.log = log; self.pipeline = pipeline
        self.step = step; self.kind = kind; self.key = key; self.resources = resources; self.threads = threads
        self.resultsDirectory = resultsDirectory; self.appendsToLog = appendsToLog
    }
}

/// A worker stopped from outside in a way that a new job of the same step can resume from the step's
/// checkpoint: a time limit, a preemption, a failed node.
public struct ExternalStop: Equatable, Sendable {
    /// What stopped it, e.g. "Slurm job 42 ended TIMEOUT".
    public var description: String
    /// A time limit (rather than preemption or a failed node): running the job again only helps if
    /// the step checkpointed during this one, or the next job would stop at the same point.
    public var isTimeLimit: Bool

    public init(_ description: String, isTimeLimit: Bool) {
        self.description = description; self.isTimeLimit = isTimeLimit
    }
}

/// How a worker ended, as far as the executor knows. The result file, when there is one, says more.
public struct WorkerExit: Equatable, Sendable {
    /// The worker's exit status (0: it wrote its result file).
    public var status: Int32
    /// Why the worker ended when it could not say so itself, e.g. "Slurm job 42 ended TIMEOUT".
    public var cause: String?
    /// Set when the worker was stopped from outside and a new job could resume the step.
    public var externalStop: ExternalStop?

    public init(status: Int32, cause: String? = nil, externalStop: ExternalStop? = nil) {
        self.status = status; self.cause = cause; self.externalStop = externalStop
    }
}

/// Runs each step as a child process `<executable> step --job FILE`, stdout and stderr to its log.
public final class LocalProcessExecutor: StepExecutor, @unchecked Sendable {
    public let name = "local"
    /// The signals that end workers from outside, by number, for the failure message.
    static let signalNames: [Int32: String] = [SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGSEGV: "SIGSEGV",
                                               SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGILL: "SIGILL", SIGHUP: "SIGHUP"]
    public let executable: URL
    private let lock = NSLock()
    private var running: [Int32: Process] = [:]

    /// `executable` is the `bce3s` binary (normally the running one).
    public init(executable: URL) { self.executable = executable }

    public func launch(_ step: StepLaunch, finished: @escaping @Sendable (WorkerExit) -> Void) throws -> String {
        try FileManager.default.createDirectory(at: step.log.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !step.appendsToLog || !FileManager.default.fileExists(atPath: step.log.path) {
            _ = FileManager.default.createFile(atPath: step.log.path, contents: nil)
        }
        let output = try FileHandle(forWritingTo: step.log)
        try output.seekToEnd()
        let process = Process()
        process.executableURL = executable
        process.arguments = ["step", "--job", step.jobFile.path]
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { [weak self] process in
            try? output.close()
            self?.forget(process.processIdentifier)
            let signal = process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
            finished(WorkerExit(status: process.terminationStatus,
                                cause: signal.map { "worker killed by signal \($0)" + (Self.signalNames[$0].map { " (\($0))" } ?? "") }))
        }
        lock.lock()
        defer { lock.unlock() }
        try process.run()
        running[process.processIdentifier] = process
        return "\(process.processIdentifier)"
    }

    /// Sends SIGTERM to every worker still running.
    public func cancelAll() -> [String] {
        lock.lock()
        let processes = Array(running.values)
        lock.unlock()
        for process in processes { process.terminate() }
        return processes.map { "\($0.processIdentifier)" }.sorted()
    }

    private func forget(_ pid: Int32) {
        lock.lock()
        running[pid] = nil
        lock.unlock()
    }
}

/// Runs each step on a background thread of this process: no process isolation, but the same job and
/// result files. For tests of the scheduler and for debugging a kind under a debugger.
public struct InProcessExecutor: StepExecutor {
    public let name = "in-process"
    public var registry: StepRegistry

    public init(registry: StepRegistry) { self.registry = registry }

    public func launch(_ step: StepLaunch, finished: @escaping @Sendable (WorkerExit) -> Void) throws -> String {
        let job = try JobFiles.read(WorkerJob.self, from: step.jobFile)
        let registry = self.registry
        Thread.detachNewThread {
            let result = try? StepWorker.perform(job, registry: registry)
            finished(WorkerExit(status: result?.succeeded == true ? 0 : 1))
        }
        return "thread"
    }
}
