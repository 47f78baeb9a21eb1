import Foundation

/// Where a step may publish: a relative path under `results/` without `.`/`..` components.
enum PublishPath {
    static func isInside(_ path: String) -> Bool {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        return !path.isEmpty && !path.hasPrefix("/")
            && components.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." && !$0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f } }
    }
}

/// Runs one step in the current process and writes its `WorkerResult` file.
///
/// Used by `bce3s step --job FILE` (one process per step) and by `InProcessExecutor`.
public enum StepWorker {
    /// The lock file a worker holds in its step's work directory (not a checkpoint).
    static let lockFileName = ".lock"

    /// Runs `job` with the kind from `registry` and writes the result file, with `machine` (what
    /// the step ran on, for the store); returns the result.
    /// The step's work directory is locked from start to result file, so a worker orphaned by a
    /// killed coordinator and its replacement never write checkpoints or outputs at the same time.
    @discardableResult
    public static func perform(_ job: WorkerJob, registry: StepRegistry, machine: String? = nil) throws -> WorkerResult {
        try FileManager.default.createDirectory(at: job.context.workDirectory, withIntermediateDirectories: true)
        let lock = try FileLock(job.context.workDirectory.appendingPathComponent(lockFileName), wait: true)
        defer { withExtendedLifetime(lock) {} }
        let startedAt = Date()
        var outcome: (error: String?, result: StepResult)
        do {
            outcome = (nil, try runKind(job, registry: registry))
        } catch {
            outcome = ("\(error)", StepResult())
        }
        var artifacts: [WorkerResult.Artifact] = []
        if outcome.error == nil {
            do { artifacts = try checksums(in: job.context.outputDirectory) } catch { outcome.error = "reading outputs: \(error)" }
        }
        if outcome.error == nil, let missing = outcome.result.publish.keys.sorted().first(where: { name in
            !artifacts.contains { $0.name == name }
        }) {
            outcome.error = "asked to publish '\(missing)', which is not among the step's artifacts"
        }
        if outcome.error == nil, let outside = outcome.result.publish.values.sorted().first(where: { !PublishPath.isInside($0) }) {
            outcome.error = "asked to publish to '\(outside)', which is not a relative path inside the results folder"
        }
        let result = WorkerResult(error: outcome.error, result: outcome.result, artifacts: artifacts,
                                  startedAt: startedAt, finishedAt: Date(), machine: machine)
        try JobFiles.write(result, to: job.resultFile)
        return result
    }

    /// Entry point of a worker process: reads the job file, runs it, exits 0 if the step succeeded.
    /// Exits as soon as the coordinator dies (kill -9 included) so no orphan keeps running.
    public static func runProcess(jobFile: URL, registry: StepRegistry, machine: String? = nil) -> Int32 {
        exitWhenParentDies()
        do {
            let job = try JobFiles.read(WorkerJob.self, from: jobFile)
            let result = try perform(job, registry: registry, machine: machine)
            if let error = result.error { FileHandle.standardError.write(Data("step failed: \(error)\n".utf8)) }
            return result.succeeded ? 0 : 1
        } catch {
            FileHandle.standardError.write(Data("bce3s step: \(jobFile.path): \(error)\n".utf8))
            return 3
        }
    }

    private static func runKind(_ job: WorkerJob, registry: StepRegistry) throws -> StepResult {
        guard let kind = registry.kind(named: job.kind) else { throw StepInputError("unknown step kind '\(job.kind)'") }
        let files = FileManager.default
        let context = job.context
        try? files.removeItem(at: context.outputDirectory)
        try files.createDirectory(at: context.outputDirectory, withIntermediateDirectories: true)
        return try kind.run(context)
    }

    /// Every regular file under `directory`, by relative path, with its SHA-256 and size.
    static func checksums(in directory: URL) throws -> [WorkerResult.Artifact] {
        let root = directory.standardizedFileURL.resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        var artifacts: [WorkerResult.Artifact] = []
        for case let url as URL in walker where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            let path = url.standardizedFileURL.resolvingSymlinksInPath().path
            let name = String(path.dropFirst(root.count + 1))
            let (sha256, bytes) = try Digest.sha256(file: url)
            artifacts.append(.init(name: name, sha256: sha256, bytes: bytes))
        }
        return artifacts.sorted { $0.name < $1.name }
    }

    /// Polls the parent pid; when the coordinator is gone the worker's results would be ingested by
    /// no one, so it exits (the next run resumes from the work directory's checkpoints).
    private static func exitWhenParentDies() {
        let parent = getppid()
        let watcher = Thread {
            while true {
                if getppid() != parent { _exit(137) }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        watcher.start()
    }
}
