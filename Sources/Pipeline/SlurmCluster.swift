import Foundation

/// What a Slurm client tool printed.
public struct SlurmCommandOutput: Equatable, Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String = "") {
        self.status = status; self.stdout = stdout; self.stderr = stderr
    }
}

/// Runs a Slurm client tool (`sbatch`, `squeue`, …). The real one starts processes; tests give
/// canned answers to check the executor's reading of them.
public protocol SlurmCommandRunner: Sendable {
    func run(_ tool: String, _ arguments: [String]) -> SlurmCommandOutput
}

/// Runs the tools found on `PATH` (they read `SLURM_CONF` and the rest of the environment).
public struct SlurmProcessRunner: SlurmCommandRunner {
    public init() {}

    public func run(_ tool: String, _ arguments: [String]) -> SlurmCommandOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            return SlurmCommandOutput(status: 127, stdout: "", stderr: "cannot run \(tool): \(error)")
        }
        // Read both pipes before waiting, so a long answer cannot block the tool.
        let errorText = ErrorText()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            errorText.data = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return SlurmCommandOutput(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                                  stderr: String(decoding: errorText.data, as: UTF8.self))
    }

    /// Standard error, filled by the reading thread before `done` is signalled.
    private final class ErrorText: @unchecked Sendable { var data = Data() }
}

/// A job as `squeue` lists it.
public struct SlurmJob: Equatable, Sendable {
    public var id: String
    /// `PENDING`, `RUNNING`, `COMPLETED`, `TIMEOUT`, …
    public var state: String
    public var name: String
    public var comment: String
}

/// A job's end as `scontrol show job` or `sacct` report it.
public struct SlurmJobDetail: Equatable, Sendable {
    public var state: String
    public var reason: String?
    /// `exit:signal`, e.g. `1:0`, or `0:15` for a job killed by SIGTERM.
    public var exitCode: String?
}

/// The questions the Slurm executor asks the cluster, each one client call.
public struct SlurmCluster: Sendable {
    /// States in which a job will not run again; every other state (PENDING, RUNNING, COMPLETING,
    /// SUSPENDED, REQUEUED, …) means it is still in Slurm's hands.
    public static let endedStates: Set<String> = ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL",
                                                  "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "REVOKED"]

    public var runner: any SlurmCommandRunner

    public init(runner: any SlurmCommandRunner = SlurmProcessRunner()) { self.runner = runner }

    /// Submits with `sbatch --parsable` and returns the job id.
    public func submit(_ arguments: [String]) throws -> String {
        let output = runner.run("sbatch", ["--parsable"] + arguments)
        let id = output.stdout.split(separator: "\n").last.map { String($0.split(separator: ";")[0]) } ?? ""
        guard output.status == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw SlurmError("sbatch failed (exit status \(output.status)): "
                             + (output.stderr + output.stdout).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return id
    }

    /// Every job of this user that `squeue` still lists, by id, including recently ended ones (`-t all`);
    /// nil when `squeue` itself failed (the controller busy or restarting: ask again later).
    public func queue() -> [String: SlurmJob]? {
        let output = runner.run("squeue", ["--me", "--noheader", "--states=all", "--format=%i|%T|%j|%k"])
        guard output.status == 0 else { return nil }
        var jobs: [String: SlurmJob] = [:]
        for line in output.stdout.split(separator: "\n") {
            let fields = line.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4 else { continue }
            jobs[fields[0]] = SlurmJob(id: fields[0], state: fields[1], name: fields[2], comment: fields[3])
        }
        return jobs
    }

    /// `scontrol show job ID`: known for a while after the job ended (`MinJobAge`), nil once forgotten.
    public func control(_ id: String) -> SlurmJobDetail? {
        let output = runner.run("scontrol", ["show", "job", "--oneliner", id])
        guard output.status == 0, let state = Self.field("JobState", in: output.stdout) else { return nil }
        return SlurmJobDetail(state: state, reason: Self.field("Reason", in: output.stdout).flatMap { $0 == "None" ? nil : $0 },
                              exitCode: Self.field("ExitCode", in: output.stdout))
    }

    /// `sacct`, where accounting storage is enabled; nil where it is not ("Slurm accounting storage is
    /// disabled") or has no record of the job.
    public func accounting(_ id: String) -> SlurmJobDetail? {
        let output = runner.run("sacct", ["--noheader", "--parsable2", "--allocations", "--jobs=\(id)", "--format=State,ExitCode"])
        guard output.status == 0, let line = output.stdout.split(separator: "\n").first else { return nil }
        let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard let state = fields.first?.split(separator: " ").first.map(String.init), !state.isEmpty else { return nil }
        return SlurmJobDetail(state: state, reason: nil, exitCode: fields.count > 1 ? fields[1] : nil)
    }

    /// `scancel` of the given jobs (one call).
    public func cancel(_ ids: [String]) {
        guard !ids.isEmpty else { return }
        _ = runner.run("scancel", ids)
    }

    /// The value of `Key=value` in `scontrol --oneliner` output.
    static func field(_ key: String, in text: String) -> String? {
        guard let range = text.range(of: #"(^|\s)\#(key)=\S+"#, options: .regularExpression) else { return nil }
        let pair = text[range].trimmingCharacters(in: .whitespaces)
        return String(pair.dropFirst(key.count + 1))
    }
}

/// A Slurm client call that failed, with what the tool said.
public struct SlurmError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
