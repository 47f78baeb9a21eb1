import Foundation
import XCTest

/// `bce3s run`, `status`, `query` and `show` as a person uses them, through the real binary.
final class RunCommandTests: CLITestCase {
    let sumPipeline = """
        steps:
          - name: num-{text}
            kind: write
            grid: {text: ["1", "2", "3"]}
          - name: total
            kind: sum
            params: {publish: tables/total.txt}
            inputs: {parts: "num-*"}
        """

    func testRunCachesAndStatusExplainsWhatWouldRun() throws {
        try write(sumPipeline, to: "p.yaml")
        let first = try bce3s("run", "p.yaml", "--jobs", "2")
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("4 steps, 4 ran, 0 reused"), first.stdout)
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("results/tables/total.txt"), encoding: .utf8), "6.0\n")

        let second = try bce3s("run", "p.yaml")
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("4 steps, 0 ran, 4 reused"), second.stdout)

        try write(sumPipeline.replacingOccurrences(of: "\"3\"", with: "\"4\""), to: "p.yaml")
        let status = try bce3s("status", "p.yaml")
        XCTAssertEqual(status.status, 0, status.stderr)
        let lines = status.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        XCTAssertTrue(lines.contains { $0.hasPrefix("num-1 reuse") && $0.hasSuffix("cached") }, status.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("num-4 run") && $0.hasSuffix("new") }, status.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("total run -") && $0.hasSuffix("input will run: num-4") }, status.stdout)
        XCTAssertTrue(lines.contains("4 steps: 2 cached, 2 will run"), status.stdout)

        let third = try bce3s("run", "p.yaml")
        XCTAssertEqual(third.status, 0, third.stderr)
        XCTAssertEqual(try rows("SELECT value FROM step_metric WHERE step = 'total' ORDER BY key").count, 2)
        XCTAssertEqual(try rows("SELECT reason FROM run_step WHERE run_id = 3 AND name = 'total'").first?["reason"] as? String,
                       "input changed: parts")
        let show = try bce3s("show", "total")
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("metric    sum = 7.0"), show.stdout)
        XCTAssertTrue(show.stdout.contains("input     parts[2] = num-4"), show.stdout)
    }

    /// `--executor slurm` without the Slurm tools: a run that reuses every step needs no cluster and
    /// succeeds; one with a step to run is refused before anything is submitted, saying why.
    func testSlurmWithoutAClusterIsRefusedOnlyWhenAStepMustRun() throws {
        try write(sumPipeline, to: "p.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        let noCluster = ["PATH": directory.appendingPathComponent("no-such-bin").path]
        let cached = try finish(try start(["run", "p.yaml", "--executor", "slurm"], environment: noCluster))
        XCTAssertEqual(cached.status, 0, cached.stdout + cached.stderr)
        XCTAssertTrue(cached.stdout.contains("4 steps, 0 ran, 4 reused"), cached.stdout)

        try write(sumPipeline.replacingOccurrences(of: "\"3\"", with: "\"4\""), to: "p.yaml")
        let refused = try finish(try start(["run", "p.yaml", "--executor", "slurm"], environment: noCluster))
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("--executor slurm needs the Slurm client tools"), refused.stderr)
        XCTAssertEqual(try rows("SELECT count(*) AS n FROM run").first?["n"] as? Int, 2, "the refused run recorded nothing")
    }

    func testPipelineErrorsExitWith2BeforeAnythingRuns() throws {
        try write("steps:\n  - name: a\n    kind: write\n    params: {text: x, colour: red}\n", to: "bad.yaml")
        let output = try bce3s("run", "bad.yaml")
        XCTAssertEqual(output.status, 2)
        XCTAssertTrue(output.stderr.contains("bad.yaml:4:") && output.stderr.contains("parameter 'colour': unknown parameter"),
                      output.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("results").path))
        try write("steps:\n  - {name: a, kind: sum, inputs: {x: b}}\n  - {name: b, kind: sum, inputs: {x: a}}\n", to: "cycle.yaml")
        let cycle = try bce3s("status", "cycle.yaml")
        XCTAssertEqual(cycle.status, 2)
        XCTAssertTrue(cycle.stderr.contains("cycle.yaml:2:5: error: dependency cycle: a -> b -> a"), cycle.stderr)
        try write(sumPipeline, to: "p.yaml")
        let force = try bce3s("run", "p.yaml", "--force", "nope")
        XCTAssertEqual(force.status, 64, "a usage error, not an invalid file")
        XCTAssertTrue(force.stderr.contains("error: --force nope: no step of the pipeline ") && force.stderr.contains("/p.yaml matches"),
                      force.stderr)
        let jobs = try bce3s("run", "p.yaml", "--jobs", "0")
        XCTAssertEqual(jobs.status, 64, "usage error")
        XCTAssertTrue(jobs.stderr.contains("--jobs must be at least 1, got 0"), jobs.stderr)
        let resubmitLocally = try bce3s("run", "p.yaml", "--resubmit", "3")
        XCTAssertEqual(resubmitLocally.status, 64)
        XCTAssertTrue(resubmitLocally.stderr.contains("these options need --executor slurm: --resubmit"), resubmitLocally.stderr)
        let negative = try bce3s("run", "p.yaml", "--executor", "slurm", "--resubmit=-1")
        XCTAssertEqual(negative.status, 64)
        XCTAssertTrue(negative.stderr.contains("--resubmit must be 0 or more, got -1"), negative.stderr)
        // A negative number after a space is the option's value, not another option.
        for (arguments, message) in [(["run", "p.yaml", "--jobs", "-3"], "--jobs must be at least 1, got -3"),
                                     (["query", "SELECT 1", "--timeout", "-1"], "--timeout must be >= 0 seconds, got -1.0")] {
            let refused = try finish(try start(arguments))
            XCTAssertEqual(refused.status, 64, "\(arguments)")
            XCTAssertTrue(refused.stderr.contains(message), refused.stderr)
        }
    }

    /// A forced rerun of a stored step continues its log after a line naming the run and why,
    /// so the stored result's own log lines survive the new attempt.
    func testAForcedRerunKeepsTheStoredStepsLog() throws {
        try write("steps:\n  - {name: long, kind: count, params: {to: 3, delay: 0, seed: 1}}\n", to: "p.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        let key = try XCTUnwrap(try rows("SELECT key FROM step WHERE name = 'long'").first?["key"] as? String)
        let log = directory.appendingPathComponent("results/logs/\(key).log")
        let first = try String(contentsOf: log, encoding: .utf8)
        XCTAssertTrue(first.contains("tick 3 of 3"), first)
        XCTAssertEqual(try bce3s("run", "p.yaml", "--force", "long").status, 0)
        let both = try String(contentsOf: log, encoding: .utf8)
        XCTAssertTrue(both.hasPrefix(first), both)
        XCTAssertTrue(both.contains(": run 2 starts long again (forced) ──\ntick 1 of 3"), both)
    }

    func testAFailedStepFailsItsDependentsOthersGoOnAndTheExitCodeSaysSo() throws {
        try write("""
            steps:
              - {name: broken, kind: fail, params: {message: disk on fire}}
              - {name: needs-broken, kind: sum, inputs: {x: broken}}
              - {name: fine, kind: write, params: {text: "5"}}
              - {name: needs-fine, kind: sum, inputs: {x: fine}}
            """, to: "p.yaml")
        let output = try bce3s("run", "p.yaml")
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stdout.contains("4 steps, 2 ran, 0 reused, 1 failed, 1 skipped"), output.stdout)
        let outcomes = try rows("SELECT name, outcome FROM run_step ORDER BY name")
            .map { "\($0["name"]!)=\($0["outcome"]!)" }
        XCTAssertEqual(outcomes, ["broken=failed", "fine=ran", "needs-broken=skipped", "needs-fine=ran"])
        XCTAssertEqual(try rows("SELECT error FROM step WHERE name = 'broken'").first?["error"] as? String, "disk on fire")
        XCTAssertEqual(try rows("SELECT status FROM run").first?["status"] as? String, "failed")
    }

    func testAWorkerThatDiesWithoutAResultFailsWithItsExitStatusAndLogTail() throws {
        try write("steps:\n  - {name: crash, kind: fail, params: {message: out of memory, crash: true}}\n", to: "p.yaml")
        let output = try bce3s("run", "p.yaml")
        XCTAssertEqual(output.status, 1)
        let error = try XCTUnwrap(try rows("SELECT error FROM step WHERE name = 'crash'").first?["error"] as? String)
        XCTAssertTrue(error.hasPrefix("worker exited with status 70 (log "), error)
        XCTAssertTrue(error.hasSuffix("\nout of memory)"), error)
    }

    func testQueryIsReadOnlyAndFormatsOutput() throws {
        try write(sumPipeline, to: "p.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        let delete = try bce3s("query", "DELETE FROM step")
        XCTAssertEqual(delete.status, 1)
        XCTAssertTrue(delete.stderr.contains("opened read-only, so this statement was refused"), delete.stderr)
        XCTAssertEqual(delete.stdout, "", "nothing on standard output for a refused statement")
        XCTAssertEqual(try bce3s("query", "DELETE FROM step", "--format", "json").stdout, "", "not even an empty JSON array")
        XCTAssertEqual(try rows("SELECT count(*) AS n FROM step").first?["n"] as? Int, 4)
        let csv = try bce3s("query", "SELECT name, status FROM step_summary WHERE name = 'total'", "--format", "csv")
        XCTAssertEqual(csv.stdout, "name,status\ntotal,succeeded\n")
    }

    func testACorruptStoreGivesAClearError() throws {
        try write(sumPipeline, to: "p.yaml")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("results"), withIntermediateDirectories: true)
        try write(String(repeating: "not a database ", count: 300), to: "results/store.sqlite")
        for arguments in [["run", "p.yaml"], ["status", "p.yaml"], ["query", "SELECT 1"]] {
            let output = try finish(try start(arguments))
            XCTAssertEqual(output.status, 1, arguments.joined(separator: " "))
            XCTAssertTrue(output.stderr.contains("results/store.sqlite: not a valid bce3s store"), output.stderr)
        }
    }
}

extension RunCommandTests {
    func testOnlyRunsTheChosenStepsAndWhatTheyNeed() throws {
        try write(sumPipeline + "\n  - {name: extra, kind: write, params: {text: \"9\"}}\n", to: "p.yaml")
        let output = try bce3s("run", "p.yaml", "--only", "num-2")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("1 steps, 1 ran"), output.stdout)
        let rest = try bce3s("run", "p.yaml", "--only", "total")
        XCTAssertTrue(rest.stdout.contains("4 steps, 3 ran, 1 reused"), rest.stdout)
    }

    /// A dry run shows what `--reuse-only` will do to a step that is not cached (it fails, and what
    /// needs it is skipped), and a step both forced and reuse-only is refused.
    func testDryRunHonoursReuseOnly() throws {
        try write(sumPipeline, to: "p.yaml")
        let dry = try bce3s("run", "p.yaml", "--dry-run", "--reuse-only", "num-1")
        XCTAssertEqual(dry.status, 0, dry.stderr)
        let lines = dry.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        XCTAssertTrue(lines.contains("num-1 fail 34b1d4b89732 not cached (new) and this run may only reuse it"), dry.stdout)
        XCTAssertTrue(lines.contains("total skip - input failed: num-1"), dry.stdout)
        XCTAssertTrue(lines.contains("4 steps: 0 cached, 2 will run, 2 would fail or be skipped"), dry.stdout)
        let real = try bce3s("run", "p.yaml", "--reuse-only", "num-1")
        XCTAssertEqual(real.status, 1)
        XCTAssertTrue(real.stdout.contains("2 ran, 0 reused, 1 failed, 1 skipped"), real.stdout)
        let both = try bce3s("run", "p.yaml", "--force", "num-2", "--reuse-only", "num-2")
        XCTAssertEqual(both.status, 1)
        XCTAssertTrue(both.stderr.contains("num-2 is both forced (--force) and reuse-only (--reuse-only)"), both.stderr)
    }
}

extension RunCommandTests {
    /// Golden output of `bce3s status` on a fresh pipeline (keys as in `PlannerTests.testCacheKeyGoldenValues`).
    func testStatusOutputGolden() throws {
        try write(sumPipeline, to: "p.yaml")
        let status = try bce3s("status", "p.yaml")
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertEqual(status.stdout, """
            STEP   ACTION  KEY           REASON
            num-1  run     34b1d4b89732  new
            num-2  run     b77272af7e4a  new
            num-3  run     962938bb8891  new
            total  run     -             input will run: num-1, num-2, num-3
            4 steps: 0 cached, 4 will run
            (no store at \(directory.appendingPathComponent("results/store.sqlite").path) yet, so nothing is cached; --results names another folder)

            """)
        let dryRun = try bce3s("run", "p.yaml", "--dry-run")
        XCTAssertEqual(dryRun.stdout, status.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("results").path),
                       "a dry run writes nothing")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        let show = try bce3s("show", "b77272af7e4a")
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.hasPrefix("step      num-2\nkey       b77272af7e4a027b"), show.stdout)
        XCTAssertTrue(show.stdout.contains("metric    bytes = 1.0"), show.stdout)
        XCTAssertEqual(try bce3s("show", "no-such-step").status, 1)
    }
    /// `show` finds a step by the name a pipeline gives it even when the store keeps it under the
    /// name it was first computed with, says why a short key prefix finds nothing, and marks files
    /// that are not in the results folder.
    func testShowByRecordedNameShortPrefixAndMissingFiles() throws {
        try write("steps:\n  - name: total\n    kind: sum\n", to: "p.yaml")
        try write("steps:\n  - name: grand-total\n    kind: sum\n", to: "q.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        XCTAssertEqual(try bce3s("run", "q.yaml").status, 0, "same cache key: reused")
        let show = try bce3s("show", "grand-total")
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.hasPrefix("step      total (recorded as grand-total; stored under the name it was first computed with"),
                      show.stdout)
        let key = try XCTUnwrap(rows("SELECT key FROM step").first?["key"] as? String)
        let short = try bce3s("show", String(key.prefix(4)))
        XCTAssertEqual(short.status, 1)
        XCTAssertTrue(short.stderr.contains("(a key prefix needs at least 6 characters)"), short.stderr)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("results/logs/\(key).log"))
        XCTAssertTrue(try bce3s("show", "total").stdout.contains("/results/logs/\(key).log (missing here)\n"))
    }

    /// Each step's row says what it ran on (the worker's CPU, oneDNN with the instruction set it
    /// chose, OpenBLAS, OS), and `show` prints it: results are bit-identical only on the same.
    func testEveryStepRecordsTheMachineItRanOn() throws {
        try write(sumPipeline, to: "p.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml", "--jobs", "2").status, 0)
        let machines = try rows("SELECT machine FROM step").map { $0["machine"] as? String }
        XCTAssertEqual(machines.count, 4)
        for machine in machines {
            let text = try XCTUnwrap(machine)
            XCTAssertTrue(text.contains(" CPUs; oneDNN ") && text.contains(" (isa ") && text.contains("; OpenBLAS "), text)
        }
        let show = try bce3s("show", "total")
        XCTAssertTrue(show.stdout.contains("\nmachine   \(machines[0]!)\n"), show.stdout)
    }
}
