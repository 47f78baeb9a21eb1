import Foundation
import XCTest

/// `bce3s run --executor slurm` against a real single-node Slurm (`scripts/slurm-local.sh`): the
/// smoke pipeline gives the local results even after a scancelled job resumed, a cached rerun
/// submits nothing, a job stopped by its time limit is resubmitted and resumes, SIGTERM cancels the
/// run's jobs, and a coordinator killed with -9 is replaced by one that adopts its running job.
final class SlurmRunTests: CLITestCase {
    override func setUpWithError() throws {
        try LocalSlurm.require()
        try super.setUpWithError()
    }

    override func tearDownWithError() throws {
        if let directory { LocalSlurm.cancelJobs(under: directory.path) }
        try super.tearDownWithError()
    }

    override class func tearDown() {
        LocalSlurm.stopIfStartedHere()
        super.tearDown()
    }

    /// Options of every Slurm run here: poll often, the cluster is local.
    let slurm = ["--executor", "slurm", "--poll-every", "0.5", "--progress-every", "0.5"]

    func synthesiseData() throws {
        let synth = try bce3s("data", "synth", "--dataset", "cifar10", "--out", "data", "--per-class", "20",
                              "--test-per-class", "4", "--seed", "0")
        XCTAssertEqual(synth.status, 0, synth.stderr)
    }

    func query(_ sql: String, results: String) throws -> String {
        let output = try bce3s("query", sql, "--format", "csv", "--results", results)
        XCTAssertEqual(output.status, 0, output.stderr)
        return output.stdout
    }

    /// The training step `name` of the run in results directory `results` as soon as it is in flight:
    /// its key and Slurm job id.
    private func jobInFlight(_ name: String, results: String) throws -> (key: String, job: String)? {
        let output = try bce3s("query", "SELECT step_key, job_id FROM run_step WHERE name = '\(name)' AND outcome = 'running'",
                               "--format", "csv", "--results", results)
        guard output.status == 0, let line = output.stdout.split(separator: "\n").dropFirst().first else { return nil }
        let fields = line.split(separator: ",").map(String.init)
        return fields.count == 2 ? (fields[0], fields[1]) : nil
    }

    /// One smoke run on Slurm whose `train-ce` job is scancelled after its first epoch: the step fails
    /// naming the Slurm state and job id; the next run resumes it from the checkpoint, and the
    /// trainings end with exactly the `train_result` rows of a local run; a cached rerun submits nothing.
    func testSmokePipelineSurvivesAScancelAndGivesTheLocalResultsAndACachedRerunSubmitsNothing() throws {
        try synthesiseData()
        let smoke = ["run", SmokePipelineTests.pipeline, "--data-dir", "data", "--results", "slurm"] + slurm
        let run = try start(smoke)
        var inFlight: (key: String, job: String)?
        try waitUntil(120, "train-ce to be submitted") { inFlight = try jobInFlight("train-ce", results: "slurm"); return inFlight != nil }
        let (key, job) = try XCTUnwrap(inFlight)
        let log = directory.appendingPathComponent("slurm/logs/\(key).log")
        try waitUntil(120, "train-ce's first epoch") { ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("epoch 1/2 done") }
        LocalSlurm.tool(["/usr/bin/env", "scancel", job])
        let cancelled = try finish(run)
        XCTAssertEqual(cancelled.status, 1, cancelled.stdout + cancelled.stderr)
        XCTAssertFalse(try String(contentsOf: log, encoding: .utf8).contains("epoch 2/2 done"), "train-ce finished before scancel")
        XCTAssertTrue(cancelled.stdout.contains("failed  train-ce"), cancelled.stdout)
        let error = try query("SELECT error FROM step WHERE name = 'train-ce'", results: "slurm")
        XCTAssertTrue(error.contains("Slurm job \(job) ended CANCELLED"), error)

        let rerun = try finish(try start(smoke))
        XCTAssertEqual(rerun.status, 0, rerun.stdout + rerun.stderr)
        XCTAssertTrue(rerun.stdout.contains("ran     train-ce") && rerun.stdout.contains(" 0 failed, 0 skipped"), rerun.stdout)
        XCTAssertTrue(try String(contentsOf: log, encoding: .utf8).contains("resuming"), "train-ce started over")
        let local = try bce3s("run", SmokePipelineTests.pipeline, "--data-dir", "data", "--results", "local", "--only", "train-*")
        XCTAssertEqual(local.status, 0, local.stdout + local.stderr)
        let columns = "dataset, imbalance, policy, model, method, seed, epochs, top1, many, medium, few, step, key"
        let slurmRows = try query("SELECT \(columns) FROM train_result ORDER BY step", results: "slurm")
        XCTAssertEqual(slurmRows.split(separator: "\n").count, 3, slurmRows)
        XCTAssertEqual(slurmRows, try query("SELECT \(columns) FROM train_result ORDER BY step", results: "local"))

        let jobs = try query("SELECT name, executor, job_id FROM run_step WHERE outcome = 'ran' ORDER BY name", results: "slurm")
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        XCTAssertEqual(jobs.map { $0[0] }, ["analyse-bce3s+stage2", "analyse-ce", "data", "figures", "table",
                                            "train-bce3s+stage2", "train-ce"])
        XCTAssertEqual(Set(jobs.map { $0[1] }), ["slurm"])
        for job in jobs {
            let fields = LocalSlurm.job(job[2])
            XCTAssertEqual(fields["JobName"], "smoke/\(job[0])", "job \(job[2]) of \(job[0])")
            XCTAssertEqual(fields["JobState"], "COMPLETED")
            XCTAssertTrue(fields["StdOut"]?.hasPrefix(directory.appendingPathComponent("slurm/logs/").path) ?? false, "\(fields)")
            XCTAssertEqual(fields["NumCPUs"], job[0].hasPrefix("train") || job[0].hasPrefix("analyse") ? "2" : "1", "\(job[0])")
        }

        let lastJob = LocalSlurm.jobIDs().max() ?? 0
        let cached = try finish(try start(smoke))
        XCTAssertEqual(cached.status, 0, cached.stdout + cached.stderr)
        XCTAssertTrue(cached.stdout.contains("0 ran, 7 reused"), cached.stdout)
        XCTAssertFalse(cached.stdout.contains("slurm job"), cached.stdout)
        XCTAssertEqual(LocalSlurm.jobIDs().filter { $0 > lastJob }, [], "a cached rerun submitted jobs")
        XCTAssertEqual(try query("SELECT count(*) AS n FROM run_step WHERE run_id = 3 AND job_id IS NULL", results: "slurm"), "n\n7\n")
    }

    /// A `count` step of `ticks` ticks of 0.1 s in a one-CPU job (`time` minutes if given).
    private func counting(_ name: String, ticks: Int, time: String? = nil) -> String {
        """
        pipeline: \(name)
        slurm:
          count: {cpus: 1\(time.map { ", time: \"\($0)\"" } ?? "")}
        steps:
          - {name: long, kind: count, params: {to: \(ticks), delay: 0.1, seed: 3}}
          - {name: after, kind: sum, inputs: {x: long}}
        """
    }

    private func checkpointTick(_ results: String) -> Int {
        let work = directory.appendingPathComponent("\(results)/work")
        for key in (try? FileManager.default.contentsOfDirectory(atPath: work.path)) ?? [] {
            let file = work.appendingPathComponent(key).appendingPathComponent("checkpoint.json")
            if let data = try? Data(contentsOf: file),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                return object["tick"] as? Int ?? 0
            }
        }
        return 0
    }

    private func jobOfLong(_ results: String) throws -> String {
        let output = try query("SELECT job_id FROM run_step WHERE name = 'long' ORDER BY run_id DESC LIMIT 1", results: results)
        return try XCTUnwrap(output.split(separator: "\n").dropFirst().first.map(String.init), output)
    }

    /// Three faults at once, to pay Slurm's one-minute minimum time limit only once: a job over its
    /// time limit (one CPU) while, on the other CPU, SIGTERM and then kill -9 hit coordinators.
    func testTimeLimitSigtermAndARestartAfterKill9() throws {
        try write(counting("timeout", ticks: 1000, time: "1"), to: "timeout.yaml")
        try write(counting("term", ticks: 300), to: "term.yaml")
        try write(counting("kill", ticks: 60), to: "kill.yaml")
        let overTime = try start(["run", "timeout.yaml", "--results", "timeout"] + slurm)
        try waitUntil(60, "the job of timeout.yaml to run") { checkpointTick("timeout") >= 1 }
        let firstTimeoutJob = try jobOfLong("timeout")

        // SIGTERM: the run cancels its job and is recorded as interrupted.
        let terminated = try start(["run", "term.yaml", "--results", "term"] + slurm)
        try waitUntil(60, "the job of term.yaml to run") { checkpointTick("term") >= 2 }
        let termJob = try jobOfLong("term")
        kill(terminated.0.processIdentifier, SIGTERM)
        let term = try finish(terminated)
        XCTAssertEqual(term.status, 128 + SIGTERM, term.stdout + term.stderr)
        XCTAssertTrue(term.stderr.contains("run 1 interrupted by SIGTERM; cancelled slurm jobs \(termJob)"), term.stderr)
        let writeAheadLog = directory.appendingPathComponent("term/store.sqlite-wal").path
        XCTAssertEqual((try? FileManager.default.attributesOfItem(atPath: writeAheadLog)[.size] as? Int) ?? 0, 0,
                       "the interrupted run left its records in store.sqlite, not in the write-ahead log")
        try waitUntil(10, "job \(termJob) to be cancelled") { LocalSlurm.job(termJob)["JobState"] == "CANCELLED" }
        XCTAssertEqual(try query("SELECT status FROM run", results: "term"), "status\ninterrupted\n")
        XCTAssertEqual(try query("SELECT outcome, job_id FROM run_step", results: "term"), "outcome,job_id\ninterrupted,\(termJob)\n")
        XCTAssertEqual(try query("PRAGMA integrity_check", results: "term"), "integrity_check\nok\n")

        // kill -9: the job runs on; the restarted coordinator adopts it instead of submitting another.
        let killed = try start(["run", "kill.yaml", "--results", "kill"] + slurm)
        try waitUntil(60, "the job of kill.yaml to run") { checkpointTick("kill") >= 2 }
        let killJob = try jobOfLong("kill")
        kill(killed.0.processIdentifier, SIGKILL)
        killed.0.waitUntilExit()
        let status = try bce3s("status", "kill.yaml", "--results", "kill")
        XCTAssertTrue(status.stdout.contains("long  run 1  slurm job \(killJob)  RUNNING"), status.stdout)
        let restart = try finish(try start(["run", "kill.yaml", "--results", "kill"] + slurm))
        XCTAssertEqual(restart.status, 0, restart.stdout + restart.stderr)
        XCTAssertTrue(restart.stdout.contains("long: adopted slurm job \(killJob), submitted by an earlier run"), restart.stdout)
        XCTAssertEqual(try jobOfLong("kill"), killJob)
        let key = try XCTUnwrap(try query("SELECT key FROM step WHERE name = 'long'", results: "kill")
                                    .split(separator: "\n").last.map(String.init))
        let log = try String(contentsOf: directory.appendingPathComponent("kill/logs/\(key).log"), encoding: .utf8)
        XCTAssertFalse(log.contains("resuming"), "the adopted job ran on; no second job resumed it:\n\(log)")
        let expected = (0..<UInt64(60)).reduce(UInt64(3)) { value, tick in value &* 6364136223846793005 &+ 1442695040888963407 &+ tick }
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("kill/artifacts/\(key)/count.txt"), encoding: .utf8),
                       "\(expected)\n")

        // The time limit (100 s of ticks, 1 min allowed): the job ends TIMEOUT after checkpointing, a new
        // job resumes the checkpoint and appends to the log, and the count is the uninterrupted one.
        let timeout = try finish(overTime)
        XCTAssertEqual(timeout.status, 0, timeout.stdout + timeout.stderr)
        XCTAssertTrue(timeout.stdout.contains("resubmitted after Slurm job \(firstTimeoutJob) ended TIMEOUT (1 of at most 10)"),
                      timeout.stdout)
        XCTAssertNotEqual(try jobOfLong("timeout"), firstTimeoutJob)
        let timeoutKey = try XCTUnwrap(try query("SELECT key FROM step WHERE name = 'long'", results: "timeout")
                                           .split(separator: "\n").last.map(String.init))
        let timeoutLog = try String(contentsOf: directory.appendingPathComponent("timeout/logs/\(timeoutKey).log"), encoding: .utf8)
        XCTAssertTrue(timeoutLog.contains("tick 1 of"), "the first job's lines are kept:\n\(timeoutLog)")
        XCTAssertTrue(timeoutLog.contains("resuming from tick"), timeoutLog)
        let expectedTimeout = (0..<UInt64(1000)).reduce(UInt64(3)) { value, tick in value &* 6364136223846793005 &+ 1442695040888963407 &+ tick }
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("timeout/artifacts/\(timeoutKey)/count.txt"), encoding: .utf8),
                       "\(expectedTimeout)\n")
    }
}
