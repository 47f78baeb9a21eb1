import Foundation
import XCTest

/// Real process kills: `kill -9` of a running `bce3s run`, then a rerun that resumes.
final class ResumeTests: CLITestCase {
    let ticks = 60
    let seed: UInt64 = 11
    lazy var pipeline = """
        steps:
          - {name: train, kind: count, params: {to: \(ticks), delay: 0.05, seed: \(seed)}}
          - {name: report, kind: sum, inputs: {model: train}}
          - {name: side, kind: write, params: {text: "1"}}
        """

    /// The `count` kind's final value, computed here independently of the step's code.
    var expectedValue: UInt64 {
        (0..<UInt64(ticks)).reduce(seed) { value, tick in value &* 6364136223846793005 &+ 1442695040888963407 &+ tick }
    }

    func checkpointTick() -> Int {
        let work = directory.appendingPathComponent("results/work")
        let keys = (try? FileManager.default.contentsOfDirectory(atPath: work.path)) ?? []
        for key in keys {
            let file = work.appendingPathComponent(key).appendingPathComponent("checkpoint.json")
            if let data = try? Data(contentsOf: file),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                return object["tick"] as? Int ?? 0
            }
        }
        return 0
    }

    /// Ctrl-C (SIGINT) of a running `bce3s run`: it exits 130, the run is recorded as interrupted,
    /// the step's staging folder (its job file) is removed, its checkpoint stays, and a rerun
    /// resumes it to the uninterrupted value.
    func testCtrlCLeavesNoStagingAndTheRerunResumes() throws {
        try write(pipeline, to: "p.yaml")
        let run = try start(["run", "p.yaml"])
        try waitUntil(20, "a few checkpointed ticks") { checkpointTick() >= 3 }
        kill(run.0.processIdentifier, SIGINT)
        let interrupted = try finish(run)
        XCTAssertEqual(interrupted.status, 130, interrupted.stdout + interrupted.stderr)
        XCTAssertLessThan(checkpointTick(), ticks, "the step finished before the interruption; nothing was tested")
        let staging = directory.appendingPathComponent("results/staging")
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: staging.path)) ?? [], [])
        XCTAssertEqual(try rows("SELECT status FROM run").first?["status"] as? String, "interrupted")
        // `show` describes the unfinished step: its key, the run that was interrupted, its work so far.
        let show = try bce3s("show", "train")
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.hasPrefix("step      train (not finished: no stored result yet)\nkey       "), show.stdout)
        XCTAssertTrue(show.stdout.contains("\njob       run 1 (started "), show.stdout)
        XCTAssertTrue(show.stdout.contains("), interrupted before the step finished; a rerun of its pipeline resumes it\n"
                                           + "reason    new; run 1 interrupted by SIGINT"), show.stdout)
        XCTAssertTrue(show.stdout.contains("progress  count: \(checkpointTick()) ticks done\n"), show.stdout)
        let key = try XCTUnwrap(show.stdout.split(separator: "\n")[1].split(separator: " ").last.map(String.init))
        XCTAssertEqual(try bce3s("show", String(key.prefix(8))).stdout, show.stdout, "found by key prefix too")

        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        XCTAssertEqual(try rows("SELECT key FROM step WHERE name = 'train'").first?["key"] as? String, key)
        let artifact = directory.appendingPathComponent("results/artifacts/\(key)/count.txt")
        XCTAssertEqual(try String(contentsOf: artifact, encoding: .utf8), "\(expectedValue)\n")
        XCTAssertTrue(try bce3s("show", "train").stdout.hasPrefix("step      train\n"), "the stored result once finished")
    }

    /// `bce3s run … | head -1`: when the reader of its output goes away, the run is interrupted as
    /// by Ctrl-C (exit 141, recorded as interrupted, jobs cancelled), not killed mid-run and left
    /// `running` with its workers orphaned.
    func testAClosedOutputPipeInterruptsTheRun() throws {
        try write(pipeline, to: "p.yaml")
        let process = Process()
        process.executableURL = try XCTUnwrap(Self.executable)
        process.arguments = ["run", "p.yaml", "--progress-every", "0.1"]
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var first = Data()
        while !first.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            first.append(chunk)
        }
        XCTAssertTrue(String(decoding: first, as: UTF8.self).hasPrefix("start"), String(decoding: first, as: UTF8.self))
        try output.fileHandleForReading.close()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 128 + SIGPIPE)
        XCTAssertEqual(try rows("SELECT status FROM run").first?["status"] as? String, "interrupted")
        XCTAssertLessThan(checkpointTick(), ticks, "the step finished before the pipe closed; nothing was tested")
    }

    func testKill9MidStepThenRerunResumesWithIdenticalResults() throws {
        try write(pipeline, to: "p.yaml")
        let run = try start(["run", "p.yaml"])
        try waitUntil(20, "a few checkpointed ticks") { checkpointTick() >= 5 }
        kill(run.0.processIdentifier, SIGKILL)
        run.0.waitUntilExit()
        XCTAssertEqual(run.0.terminationReason, .uncaughtSignal)
        let interruptedAt = checkpointTick()
        XCTAssertLessThan(interruptedAt, ticks, "the step finished before the kill; nothing was tested")

        let status = try bce3s("status", "p.yaml")
        XCTAssertTrue(status.stdout.contains("input will run: train"), status.stdout)

        let rerun = try bce3s("run", "p.yaml")
        XCTAssertEqual(rerun.status, 0, rerun.stdout + rerun.stderr)
        let key = try XCTUnwrap(try rows("SELECT key FROM step WHERE name = 'train'").first?["key"] as? String)
        let whole = try String(contentsOf: directory.appendingPathComponent("results/logs/\(key).log"), encoding: .utf8)
        let restart = try XCTUnwrap(whole.range(of: ": run 2 starts train again ("), "the rerun continues the log:\n\(whole)")
        XCTAssertTrue(whole[..<restart.lowerBound].contains("tick 1 of"), "the first attempt's lines are kept:\n\(whole)")
        let log = String(whole[restart.upperBound...])
        let resumedFrom = try XCTUnwrap(log.split(separator: "\n").first { $0.hasPrefix("resuming from tick") }, log)
        XCTAssertGreaterThanOrEqual(Int(resumedFrom.split(separator: " ")[3])!, interruptedAt)
        XCTAssertFalse(log.contains("tick 1 of"), "the rerun started over instead of resuming:\n\(log)")

        let artifact = directory.appendingPathComponent("results/artifacts/\(key)/count.txt")
        XCTAssertEqual(try String(contentsOf: artifact, encoding: .utf8), "\(expectedValue)\n")
        XCTAssertEqual(try rows("SELECT value FROM metric WHERE step_key = '\(key)' AND name = 'value'").first?["value"] as? Double,
                       Double(expectedValue % 1_000_000))
        XCTAssertEqual(try rows("PRAGMA integrity_check").first?["integrity_check"] as? String, "ok")
        XCTAssertEqual(try rows("SELECT status FROM run ORDER BY id").compactMap { $0["status"] as? String },
                       ["interrupted", "succeeded"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("results/work/\(key)").path),
                       "the checkpoint directory is removed once the result is stored")
        let again = try bce3s("run", "p.yaml")
        XCTAssertTrue(again.stdout.contains("3 steps, 0 ran, 3 reused"), again.stdout)
    }

    /// A results folder moved elsewhere after the kill (another path, as on another machine, with
    /// logs and staging left behind) resumes there: nothing in it depends on where it was.
    func testAKilledRunMovedToAnotherFolderResumesThere() throws {
        try write(pipeline, to: "p.yaml")
        let run = try start(["run", "p.yaml"])
        try waitUntil(20, "a few checkpointed ticks") { checkpointTick() >= 5 }
        kill(run.0.processIdentifier, SIGKILL)
        run.0.waitUntilExit()
        // The workers end when they notice their coordinator is gone; until then they still write
        // to staging (on a loaded machine that takes a while), so the folder moves after them.
        let workers = try rows("SELECT job_id FROM run_step WHERE outcome = 'running'").compactMap { ($0["job_id"] as? String).flatMap(Int32.init) }
        try waitUntil(30, "the workers to end after their coordinator") { workers.allSatisfy { kill($0, 0) != 0 } }
        let interruptedAt = checkpointTick()
        XCTAssertLessThan(interruptedAt, ticks, "the step finished before the kill; nothing was tested")

        let files = FileManager.default
        let moved = directory.appendingPathComponent("elsewhere/carried")
        try files.createDirectory(at: moved, withIntermediateDirectories: true)
        for name in ["store.sqlite", "work"] {
            try files.moveItem(at: directory.appendingPathComponent("results/\(name)"), to: moved.appendingPathComponent(name))
        }
        for name in ["store.sqlite-wal", "store.sqlite-shm"] where files.fileExists(atPath: directory.appendingPathComponent("results/\(name)").path) {
            try files.moveItem(at: directory.appendingPathComponent("results/\(name)"), to: moved.appendingPathComponent(name))
        }
        try files.removeItem(at: directory.appendingPathComponent("results"))

        let rerun = try bce3s("run", "p.yaml", "--results", "elsewhere/carried")
        XCTAssertEqual(rerun.status, 0, rerun.stdout + rerun.stderr)
        let key = try XCTUnwrap(try bce3s("query", "SELECT key FROM step WHERE name = 'train'", "--format", "csv",
                                          "--results", "elsewhere/carried").stdout.split(separator: "\n").last.map(String.init))
        let log = try String(contentsOf: moved.appendingPathComponent("logs/\(key).log"), encoding: .utf8)
        XCTAssertTrue(log.contains("resuming from tick \(interruptedAt) of"), log)
        XCTAssertEqual(try String(contentsOf: moved.appendingPathComponent("artifacts/\(key)/count.txt"), encoding: .utf8),
                       "\(expectedValue)\n")
        XCTAssertFalse(files.fileExists(atPath: directory.appendingPathComponent("results").path), "nothing was written to the old place")
    }

    func testReadsWorkDuringARunAndASecondRunIsRefused() throws {
        try write("steps:\n  - {name: other, kind: write, params: {text: \"2\"}}\n", to: "q.yaml")
        XCTAssertEqual(try bce3s("run", "q.yaml", "--results", "scratch").status, 0)
        try write(pipeline, to: "p.yaml")
        let run = try start(["run", "p.yaml", "--progress-every", "0.2"])
        try waitUntil(20, "the run to be recorded") {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent("results/store.sqlite").path)
                && checkpointTick() >= 2
        }
        XCTAssertEqual(try rows("SELECT status FROM run").first?["status"] as? String, "running")
        let status = try bce3s("status", "p.yaml")
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("checkpoints (a rerun resumes after them):\n  train: "), status.stdout)
        let query = try bce3s("query", "SELECT count(*) AS n FROM run_step")
        XCTAssertEqual(query.status, 0, query.stderr)
        let show = try bce3s("show", "train")
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("): local job "), show.stdout)
        XCTAssertTrue(show.stdout.contains("  running\nreason    new\n"), show.stdout)
        let second = try bce3s("run", "p.yaml")
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.stderr.contains("`bce3s run` (pid \(run.0.processIdentifier)) is using"), second.stderr)
        for arguments in [["gc"], ["gc", "--dry-run"]] {
            let gc = try finish(try start(arguments))
            XCTAssertEqual(gc.status, 1, "\(arguments): " + gc.stdout)
            XCTAssertTrue(gc.stderr.contains("`bce3s run` (pid \(run.0.processIdentifier)) is using"), gc.stderr)
        }
        // Nothing is imported into a folder while a run writes it; the folder it runs in can be imported from.
        let into = try bce3s("import", "--from", "scratch")
        XCTAssertEqual(into.status, 1, into.stdout)
        XCTAssertTrue(into.stderr.contains("`bce3s run` (pid \(run.0.processIdentifier)) is using"), into.stderr)
        let from = try bce3s("import", "--from", "results", "--results", "elsewhere")
        XCTAssertEqual(from.status, 0, from.stderr)
        XCTAssertLessThan(checkpointTick(), ticks, "the run ended before the reads; nothing was tested")
        let finished = try finish(run)
        XCTAssertEqual(finished.status, 0, finished.stdout + finished.stderr)
        XCTAssertTrue(finished.stdout.contains("        train: tick "), "no progress lines:\n\(finished.stdout)")
        XCTAssertEqual(try rows("SELECT status FROM run").first?["status"] as? String, "succeeded")
    }
}
