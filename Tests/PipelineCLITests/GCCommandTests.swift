import Foundation
import XCTest

/// `bce3s gc`: drops what no pipeline's latest run uses, keeps what it does.
final class GCCommandTests: CLITestCase {
    func testGCDropsStepsOnlyOldRunsUsedAndKeepsTheCache() throws {
        let pipeline = "steps:\n  - {name: a, kind: write, params: {text: \"1\"}}\n  - {name: b, kind: sum, inputs: {x: a}}\n"
        try write(pipeline, to: "p.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        let oldKey = try XCTUnwrap(try rows("SELECT key FROM step WHERE name = 'a'").first?["key"] as? String)
        try write(pipeline.replacingOccurrences(of: "\"1\"", with: "\"2\""), to: "p.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        let oldArtifacts = directory.appendingPathComponent("results/artifacts/\(oldKey)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("results/staging/leftover"),
                                                withIntermediateDirectories: true)

        let dryRun = try bce3s("gc", "--dry-run")
        XCTAssertEqual(dryRun.status, 0, dryRun.stderr)
        XCTAssertTrue(dryRun.stdout.contains("would drop 2 of 4 stored steps"), dryRun.stdout)
        XCTAssertTrue(dryRun.stdout.contains("would delete \(oldArtifacts.path)"), dryRun.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: oldArtifacts.path))

        let gc = try bce3s("gc")
        XCTAssertEqual(gc.status, 0, gc.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: oldArtifacts.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("results/staging/leftover").path))
        XCTAssertEqual(try rows("SELECT count(*) AS n FROM step").first?["n"] as? Int, 2)
        XCTAssertEqual(try rows("SELECT count(*) AS n FROM artifact").first?["n"] as? Int, 2)
        let rerun = try bce3s("run", "p.yaml")
        XCTAssertTrue(rerun.stdout.contains("2 steps, 0 ran, 2 reused"), rerun.stdout)
    }
}
