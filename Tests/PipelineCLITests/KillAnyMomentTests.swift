import Foundation
import XCTest

/// `kill -9` of `bce3s run` at several moments (while workers start, run, and are ingested), then a
/// rerun: the results must equal those of an uninterrupted run and the store must stay intact.
final class KillAnyMomentTests: CLITestCase {
    let pipeline = """
        steps:
          - name: w-{text}
            kind: write
            grid: {text: ["1", "2", "3", "4", "5", "6", "7", "8"]}
          - {name: half-a, kind: sum, inputs: {x: [w-1, w-2, w-3, w-4]}}
          - {name: half-b, kind: sum, inputs: {x: [w-5, w-6, w-7, w-8]}}
          - {name: long, kind: count, params: {to: 15, delay: 0.02, seed: 3}}
          - {name: all, kind: sum, inputs: {x: [half-a, half-b, long]}}
        """

    func results(_ resultsDirectory: String) throws -> [String] {
        let output = try bce3s("query", "--results", resultsDirectory, "--format", "csv",
                               "SELECT s.name, a.name, a.sha256 FROM step s JOIN artifact a ON a.step_key = s.key "
                                   + "WHERE s.status = 'succeeded' ORDER BY s.name")
        XCTAssertEqual(output.status, 0, output.stderr)
        return output.stdout.split(separator: "\n").map(String.init)
    }

    func testKillsAtManyMomentsThenARerunGivesTheUninterruptedResults() throws {
        try write(pipeline, to: "p.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml", "--results", "reference").status, 0)
        let reference = try results("reference")
        XCTAssertEqual(reference.count, 1 + 12)

        for delay in [0.005, 0.01, 0.02, 0.05, 0.2, 0.35, 0.5, 0.7] {   // the first while the store is created
            let run = try start(["run", "p.yaml"])
            Thread.sleep(forTimeInterval: delay)
            kill(run.0.processIdentifier, SIGKILL)
            run.0.waitUntilExit()
            let check = try bce3s("query", "PRAGMA integrity_check")
            if check.status == 0 { XCTAssertEqual(check.stdout.split(separator: "\n").last, "ok", "after kill at \(delay) s") }
        }
        let rerun = try bce3s("run", "p.yaml")
        XCTAssertEqual(rerun.status, 0, rerun.stdout + rerun.stderr)
        XCTAssertEqual(try results("results"), reference)
        XCTAssertEqual(try rows("PRAGMA integrity_check").first?["integrity_check"] as? String, "ok")
        XCTAssertEqual(try rows("SELECT count(*) AS n FROM run WHERE status = 'running'").first?["n"] as? Int, 0)
    }
}
