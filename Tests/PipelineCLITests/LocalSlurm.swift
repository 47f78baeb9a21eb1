import Foundation
import XCTest

/// The single-node cluster of `scripts/slurm-local.sh`, which the Slurm tests run against. `.ci/run`
/// starts it before `make test`; where it is not running, the tests start it themselves if its
/// packages are installed and they run as root, and stop it when they are done.
enum LocalSlurm {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../scripts/slurm-local.sh").standardizedFileURL.path

    static var configuration: String {
        let environment = ProcessInfo.processInfo.environment
        return environment["SLURM_CONF"]
            ?? (environment["BCE3S_SLURM_DIR"] ?? "/tmp/bce3s-slurm") + "/slurm.conf"
    }

    /// Why the cluster cannot be used (nil: it is up), decided once per test process.
    private static let problem: String? = {
        setenv("SLURM_CONF", configuration, 1)
        if isUp() { return nil }
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/slurmctld") else {
            return "no local Slurm cluster is running (\(configuration)) and this process cannot start one "
                + "(needs root and Debian's slurmctld, slurmd, slurm-client, munge)"
        }
        let started = tool(["/usr/bin/env", "BCE3S_SLURM_NO_INSTALL=1", script, "start"])
        guard started.status == 0, isUp() else { return "scripts/slurm-local.sh start failed: \(started.output)" }
        startedHere = true
        return nil
    }()

    /// Whether these tests started the cluster (and so stop it).
    private(set) static var startedHere = false

    /// Skips the calling test with the reason when no cluster can be had.
    static func require() throws {
        if let problem {
            throw XCTSkip("Slurm tests skipped: \(problem). Start one with `scripts/slurm-local.sh start` as root "
                          + "(it installs the packages), as .ci/run does.")
        }
    }

    /// Stops the cluster if these tests started it.
    static func stopIfStartedHere() {
        guard startedHere else { return }
        _ = tool([script, "stop"])
        startedHere = false
    }

    static func isUp() -> Bool {
        let answer = tool(["/usr/bin/env", "sinfo", "--noheader", "--format=%T"])
        return answer.status == 0 && ["idle", "mixed", "allocated", "completing"].contains { answer.output.contains($0) }
    }

    /// Runs `arguments` (the first is the program) and returns its status and stdout + stderr.
    @discardableResult
    static func tool(_ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return (127, "cannot run \(arguments[0])") }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// `scontrol show job ID` as a dictionary of its `Key=value` fields (values without spaces).
    static func job(_ id: String) -> [String: String] {
        let text = tool(["/usr/bin/env", "scontrol", "show", "job", "--oneliner", id]).output
        var fields: [String: String] = [:]
        for pair in text.split(whereSeparator: \.isWhitespace) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, fields[String(parts[0])] == nil { fields[String(parts[0])] = String(parts[1]) }
        }
        return fields
    }

    /// Ids of this user's jobs that `squeue` still lists (ended ones for `MinJobAge`, 300 s here).
    static func jobIDs() -> [Int] {
        tool(["/usr/bin/env", "squeue", "--me", "--noheader", "--states=all", "--format=%i"]).output
            .split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Cancels the jobs whose comment mentions `path` (a test's directory), so none outlives its test.
    static func cancelJobs(under path: String) {
        let listing = tool(["/usr/bin/env", "squeue", "--me", "--noheader", "--format=%i|%k"]).output
        let ids = listing.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: "|", maxSplits: 1)
            return fields.count == 2 && fields[1].contains(path) ? String(fields[0]) : nil
        }
        if !ids.isEmpty { tool(["/usr/bin/env", "scancel"] + ids) }
    }
}
