import Foundation

/// Runs each step as one Slurm batch job executing `bce3s step --job FILE`, the same worker as
/// locally. The coordinator stays on the login node and remains the store's only writer; the job
/// reads its job file and writes its result file under the results directory, which must therefore
/// be on a filesystem that the compute nodes and the login node share.
///
/// A job's end is noticed first by its result file, then by its state in one `squeue` call per poll
/// for all jobs, with `scontrol show job` and `sacct` (where accounting storage is enabled) asked
/// about a job `squeue` does not list; a job no tool knows is given up only after several polls.
public final class SlurmExecutor: StepExecutor, @unchecked Sendable {
    public let name = "slurm"

    /// How jobs are submitted and watched.
    public struct Configuration: Sendable {
        /// The `bce3s` binary the jobs run (it must be at this path on the compute nodes too).
        public var executable: URL
        public var settings: SlurmSettings
        /// Seconds between two `squeue` calls (one per poll, for all jobs of the run).
        public var pollInterval: TimeInterval
        /// Seconds a COMPLETED job's result file may take to appear (a shared filesystem's caches)
        /// before the step fails with "not visible here".
        public var resultGrace: TimeInterval
        /// Polls in a row in which no tool knows a job before it is reported lost.
        public var unknownPolls: Int

        public init(executable: URL, settings: SlurmSettings = SlurmSettings(), pollInterval: TimeInterval = 10,
                    resultGrace: TimeInterval = 60, unknownPolls: Int = 3) {
            self.executable = executable; self.settings = settings; self.pollInterval = pollInterval
            self.resultGrace = resultGrace; self.unknownPolls = unknownPolls
        }
    }

    private struct Tracked {
        var launch: StepLaunch
        var finished: @Sendable (WorkerExit) -> Void
        var unknownPolls = 0
        /// When a poll first saw the job ended without a result file.
        var endedAt: Date?
    }

    public let configuration: Configuration
    let cluster: SlurmCluster
    private let lock = NSLock()
    private var tracked: [String: Tracked] = [:]
    private var polling = false
    private var earlierJobs: [String: SlurmJob]?

    public init(_ configuration: Configuration, cluster: SlurmCluster = SlurmCluster()) {
        self.configuration = configuration
        self.cluster = cluster
    }

    /// The job name `squeue` shows: `<pipeline>/<step>`.
    public static func jobName(_ step: StepLaunch) -> String {
        String("\(step.pipeline)/\(step.step)".map { $0.isWhitespace || $0 == "|" || $0 == "," ? "_" : $0 })
    }

    /// The job comment: which results directory and cache key the job computes, so a restarted
    /// coordinator adopts only jobs of its own steps. The directory with symbolic links resolved,
    /// so a restart that names the folder by another path (a link to it) still finds its jobs.
    public static func jobComment(_ step: StepLaunch) -> String {
        "bce3s \(step.key) \(realPath(step.resultsDirectory))"
    }

    /// `url`'s path with symbolic links resolved (`realpath`) in the part of it that exists.
    static func realPath(_ url: URL) -> String {
        var existing = url.standardizedFileURL.path, missing: [String] = []
        while true {
            if let resolved = realpath(existing, nil) {
                defer { free(resolved) }
                return missing.reduce(String(cString: resolved)) { ($0 as NSString).appendingPathComponent($1) }
            }
            guard existing != "/", !existing.isEmpty else { return url.standardizedFileURL.path }
            missing.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
        }
    }

    /// The `sbatch` arguments of a step (without `--parsable`).
    public func sbatchArguments(_ step: StepLaunch) -> [String] {
        let options = configuration.settings.options(forKind: step.kind)
        let log = step.log.path.replacingOccurrences(of: "%", with: "%%")
        let command = "exec \(Self.quoted(configuration.executable.path)) step --job \(Self.quoted(step.jobFile.path))"
        return ["--job-name=\(Self.jobName(step))", "--comment=\(Self.jobComment(step))", "--output=\(log)"]
            + (step.appendsToLog ? ["--open-mode=append"] : [])
            + options.sbatchArguments(threads: step.threads) + ["--wrap=\(command)"]
    }

    public func launch(_ step: StepLaunch, finished: @escaping @Sendable (WorkerExit) -> Void) throws -> String {
        try FileManager.default.createDirectory(at: step.log.deletingLastPathComponent(), withIntermediateDirectories: true)
        let id = try cluster.submit(sbatchArguments(step))
        track(id, Tracked(launch: step, finished: finished))
        return id
    }

    /// A job of this step (same name, results directory and key) that an earlier coordinator submitted:
    /// adopted if Slurm still has it queued or running, or if it ended leaving its result file.
    public func adopt(_ step: StepLaunch, finished: @escaping @Sendable (WorkerExit) -> Void) throws -> String? {
        let jobs = try jobsOfEarlierRuns()
        let resultPresent = FileManager.default.fileExists(atPath: step.resultFile.path)
        guard let job = jobs.values.filter({ job in
            job.name == Self.jobName(step) && job.comment == Self.jobComment(step)
                && (!SlurmCluster.endedStates.contains(job.state) || resultPresent)
        }).max(by: { Int($0.id) ?? 0 < Int($1.id) ?? 0 }) else { return nil }
        track(job.id, Tracked(launch: step, finished: finished))
        return job.id
    }

    public func cancelAll() -> [String] {
        lock.lock()
        let ids = tracked.keys.sorted { Int($0) ?? 0 < Int($1) ?? 0 }
        tracked = [:]
        lock.unlock()
        cluster.cancel(ids)
        return ids
    }

    /// The jobs `squeue` listed when this executor first looked (before it submitted anything).
    private func jobsOfEarlierRuns() throws -> [String: SlurmJob] {
        lock.lock()
        defer { lock.unlock() }
        if let earlierJobs { return earlierJobs }
        for attempt in 0..<3 {
            if let jobs = cluster.queue() {
                earlierJobs = jobs
                return jobs
            }
            if attempt < 2 { Thread.sleep(forTimeInterval: 1) }
        }
        throw SlurmError("squeue failed three times; is this a Slurm login node (SLURM_CONF, slurmctld reachable)?")
    }

    private func track(_ id: String, _ job: Tracked) {
        lock.lock()
        defer { lock.unlock() }
        tracked[id] = job
        guard !polling else { return }
        polling = true
        Thread.detachNewThread { [self] in pollUntilIdle() }
    }

    /// Checks result files every second (at most every poll interval) and asks Slurm every poll
    /// interval, until no job is left.
    private func pollUntilIdle() {
        let tick = min(1, configuration.pollInterval)
        var lastQuery = Date.distantPast
        while true {
            Thread.sleep(forTimeInterval: tick)
            lock.lock()
            if tracked.isEmpty {
                polling = false
                lock.unlock()
                return
            }
            lock.unlock()
            let due = Date().timeIntervalSince(lastQuery) >= configuration.pollInterval - 0.01
            if due { lastQuery = Date() }
            poll(askingSlurm: due)
        }
    }

    /// One look at the jobs in flight: those whose result file exists have ended; with `askingSlurm`,
    /// one `squeue` call for the others (plus `scontrol`/`sacct` for a job it does not list).
    func poll(askingSlurm: Bool) {
        lock.lock()
        let jobs = tracked
        lock.unlock()
        var pending: [String: Tracked] = [:]
        for (id, job) in jobs {
            if FileManager.default.fileExists(atPath: job.launch.resultFile.path) {
                end(id, WorkerExit(status: 0))
            } else {
                pending[id] = job
            }
        }
        guard askingSlurm, !pending.isEmpty else { return }
        // squeue failed (nil): every job is asked of scontrol (and sacct), and one they do not know is
        // asked again next time rather than counted as gone.
        let queue = cluster.queue()
        for (id, job) in pending {
            var detail = queue?[id].map { SlurmJobDetail(state: $0.state, reason: nil, exitCode: nil) }
            if detail == nil { detail = cluster.control(id) ?? cluster.accounting(id) }
            guard let detail else {
                if queue != nil, update(id, { $0.unknownPolls += 1 })?.unknownPolls ?? 0 >= configuration.unknownPolls {
                    end(id, WorkerExit(status: -1, cause: "Slurm job \(id) is no longer known to squeue or scontrol (nor sacct) "
                                       + "and left no result file at \(job.launch.resultFile.path)"))
                }
                continue
            }
            guard SlurmCluster.endedStates.contains(detail.state) else {
                _ = update(id) { $0.unknownPolls = 0 }
                continue
            }
            // Wait one more poll: a result file written just before the end may show up a little later on a
            // shared filesystem; for a COMPLETED job (the worker wrote it) wait up to `resultGrace`.
            guard let endedAt = job.endedAt else {
                _ = update(id) { $0.endedAt = Date() }
                continue
            }
            if detail.state == "COMPLETED" && Date().timeIntervalSince(endedAt) < configuration.resultGrace { continue }
            let full = detail.exitCode == nil ? (cluster.control(id) ?? detail) : detail
            end(id, WorkerExit(status: -1, cause: Self.cause(id: id, detail: full, resultFile: job.launch.resultFile),
                               externalStop: Self.externalStop(id: id, state: full.state)))
        }
    }

    /// The error of a step whose job ended without a result file: the Slurm state and job id, and
    /// what to do about it.
    static func cause(id: String, detail: SlurmJobDetail, resultFile: URL) -> String {
        var text = "Slurm job \(id) ended \(detail.state)"
        // A cancelled job keeps the reason it was pending for; an exit code 0:0 says nothing.
        let reason = detail.state == "CANCELLED" ? nil : detail.reason
        let exitCode = detail.exitCode == "0:0" ? nil : detail.exitCode
        let extra = [reason.map { "reason \($0)" }, exitCode.map { "exit code \($0)" }].compactMap { $0 }
        if !extra.isEmpty { text += " (" + extra.joined(separator: ", ") + ")" }
        switch detail.state {
        case "COMPLETED":
            text += " but its result file \(resultFile.path) is not visible here: the results directory must be on a "
                + "filesystem that this machine and the compute nodes share"
        case "TIMEOUT":
            text += "; raise the time limit (slurm: time: in the pipeline file, or --time); the next run resumes from the step's checkpoint"
        case "OUT_OF_MEMORY":
            text += "; raise the memory (slurm: mem: in the pipeline file, or --mem); the next run resumes from the step's checkpoint"
        case "CANCELLED", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL":
            text += "; the next run resumes from the step's checkpoint"
        default: break
        }
        return text
    }

    /// A job ended by its time limit, a preemption or a failed node: a new job can resume the step
    /// from its checkpoint (`Coordinator` decides whether to submit one).
    static func externalStop(id: String, state: String) -> ExternalStop? {
        guard ["TIMEOUT", "PREEMPTED", "NODE_FAIL", "BOOT_FAIL"].contains(state) else { return nil }
        return ExternalStop("Slurm job \(id) ended \(state)", isTimeLimit: state == "TIMEOUT")
    }

    private func update(_ id: String, _ change: (inout Tracked) -> Void) -> Tracked? {
        lock.lock()
        defer { lock.unlock() }
        guard var job = tracked[id] else { return nil }
        change(&job)
        tracked[id] = job
        return job
    }

    private func end(_ id: String, _ exit: WorkerExit) {
        lock.lock()
        let job = tracked.removeValue(forKey: id)
        lock.unlock()
        job?.finished(exit)
    }

    /// `text` in single quotes for `/bin/sh`.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
