import Foundation
import XCTest

/// Issue 17 through the built binary: messages that point the right way, commands that never
/// create or lock what they only read, queries that stop, and invalid files that exit 2 with a location.
final class ReliabilityCLITests: CLITestCase {
    /// Case 9: `epochs: 0` names the parameter and points at its line, not at the step's start.
    func testANonPositiveEpochCountPointsAtTheParameter() throws {
        for epochs in ["0", "-3"] {
            try write("""
                steps:
                  - name: data
                    kind: dataset
                    params: {dataset: cifar10, imbalance: 10}
                  - name: train
                    kind: train
                    params:
                      dataset: cifar10
                      imbalance: 10
                      method: ce
                      epochs: \(epochs)
                    inputs: {data: data}
                """, to: "bad.yaml")
            let output = try bce3s("run", "bad.yaml", "--data-dir", "nowhere")
            XCTAssertEqual(output.status, 2, output.stdout + output.stderr)
            XCTAssertTrue(output.stderr.contains("bad.yaml:11:"), output.stderr)
            XCTAssertTrue(output.stderr.contains("parameter 'epochs'") && !output.stderr.contains("method/recipe"), output.stderr)
        }
    }

    /// `--results` naming a file: every reading command says so (status printed a plan, exit 0;
    /// query said "no store yet").
    func testAResultsPathThatIsAFileIsRefusedByEveryReader() throws {
        try write("steps:\n  - {name: w, kind: write, params: {text: hi}}\n", to: "p.yaml")
        try write("not a folder", to: "afile")
        for arguments in [["status", "p.yaml"], ["query", "SELECT 1"], ["claims", "p.yaml"]] {
            let output = try finish(try start(arguments + ["--results", "afile"]))
            XCTAssertEqual(output.status, 1, "\(arguments): \(output.stdout)")
            XCTAssertTrue(output.stderr.contains("afile is a file, not a results folder"), "\(arguments): \(output.stderr)")
        }
    }

    /// A typo in the `slurm:` section fails a local run too, not only the first cluster run.
    func testTheSlurmSectionIsCheckedWhateverTheExecutor() throws {
        try write("steps:\n  - {name: w, kind: write, params: {text: hi}}\nslurm:\n  wirte: {time: \"1:00:00\"}\n", to: "p.yaml")
        let output = try bce3s("run", "p.yaml")
        XCTAssertEqual(output.status, 2, output.stdout)
        XCTAssertTrue(output.stderr.contains("p.yaml:4:3: error: slurm: 'wirte'"), output.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("results/store.sqlite").path))
    }

    /// Case 9: `gc` on a folder without a store says so and creates nothing; `--dry-run` takes no lock.
    func testGCNeverCreatesAStoreAndDryRunOnlyReads() throws {
        let output = try bce3s("gc", "--results", "nonexistent/x")
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("no store yet"), output.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("nonexistent").path))

        try write("steps:\n  - {name: w, kind: write, params: {text: hi}}\n", to: "p.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("results/.run.lock"))
        let dry = try bce3s("gc", "--dry-run")
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("results/.run.lock").path))
    }

    /// Case 5: a results folder that cannot be written is named as such, not as a raw Cocoa error.
    func testAnUnwritableResultsFolderIsSaidPlainly() throws {
        try write("steps:\n  - {name: w, kind: write, params: {text: hi}}\n", to: "p.yaml")
        try write("a file where the results folder should be", to: "blocked")
        let output = try bce3s("run", "p.yaml", "--results", "blocked/results")
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("the results folder is not writable") && output.stderr.contains("is a file"), output.stderr)
        XCTAssertFalse(output.stderr.contains("NSCocoaErrorDomain"), output.stderr)
    }

    /// Case 7: rows stream out; past --max-rows the query stops with a message and status 1.
    func testAnEndlessQueryStopsAtItsRowLimit() throws {
        try write("steps:\n  - {name: w, kind: write, params: {text: hi}}\n", to: "p.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        let output = try bce3s("query", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c",
                               "--format", "csv", "--max-rows", "5000")
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.stdout.split(separator: "\n").count, 5001, "header and 5000 rows")
        XCTAssertTrue(output.stderr.contains("stopped after 5000 rows"), output.stderr)
        let json = try bce3s("query", "SELECT name FROM step", "--format", "json")
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: String]])?.first?["name"], "w")
    }
}
