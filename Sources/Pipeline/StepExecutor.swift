import Foundation

/// Starts workers. The coordinator writes the job file, asks an executor to run it, and reads the
/// result file when `finished` is called. Local processes today; a Slurm executor would submit the
/// same `bce3s step --job FILE` command with `sbatch` and poll for its end.
public protocol StepExecutor: Sendable {
    /// Starts the step described by `jobFile`, sending its output to `log`. Calls `finished` exactly
    /// once, on any thread, with the worker's exit status.
    func launch(jobFile: URL, log: URL, finished: @escaping @Sendable (Int32) -> Void) throws
}

/// Runs each step as a child process `<executable> step --job FILE`, stdout and stderr to its log.
public struct LocalProcessExecutor: StepExecutor {
    public var executable: URL

    /// `executable` is the `bce3s` binary (normally the running one).
    public init(executable: URL) { self.executable = executable }

    public func launch(jobFile: URL, log: URL, finished: @escaping @Sendable (Int32) -> Void) throws {
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["step", "--job", jobFile.path]
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { process in
            try? output.close()
            finished(process.terminationStatus)
        }
        try process.run()
    }
}

/// Runs each step on a background thread of this process: no process isolation, but the same job and
/// result files. For tests of the scheduler and for debugging a kind under a debugger.
public struct InProcessExecutor: StepExecutor {
    public var registry: StepRegistry

    public init(registry: StepRegistry) { self.registry = registry }

    public func launch(jobFile: URL, log: URL, finished: @escaping @Sendable (Int32) -> Void) throws {
        let job = try JobFiles.read(WorkerJob.self, from: jobFile)
        let registry = self.registry
        Thread.detachNewThread {
            let result = try? StepWorker.perform(job, registry: registry)
            finished(result?.succeeded == true ? 0 : 1)
        }
    }
}
