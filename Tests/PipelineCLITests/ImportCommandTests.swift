import Foundation
import GRDB
import XCTest

/// `bce3s import`: another results folder's steps join this one, and the tables, SQL and `gc` see them.
final class ImportCommandTests: CLITestCase {
    /// A step computed in a scratch folder is imported into a committed-style folder (one file in a
    /// rollback journal): it is then queryable and reused by a run there, the folder keeps its
    /// journal mode, and a second import has nothing to do.
    func testAStepFromAnotherFolderIsReusedHereAndTheFolderKeepsItsJournalMode() throws {
        let pipeline = "steps:\n  - {name: a, kind: write, params: {text: \"1\"}}\n  - {name: b, kind: sum, inputs: {x: a}}\n"
        try write(pipeline, to: "p.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml", "--only", "a").status, 0)
        XCTAssertEqual(try bce3s("run", "p.yaml", "--results", "scratch").status, 0)
        let store = directory.appendingPathComponent("results/store.sqlite").path
        _ = try DatabaseQueue(path: store).writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") }

        let dryRun = try bce3s("import", "--from", "scratch", "--step", "b", "--dry-run")
        XCTAssertEqual(dryRun.status, 0, dryRun.stderr)
        XCTAssertTrue(dryRun.stdout.hasPrefix("would import b ["), dryRun.stdout + " (its input a is here already)")
        XCTAssertTrue(dryRun.stdout.hasSuffix("would import 1 step and the 1 run that computed them\n"), dryRun.stdout)
        XCTAssertEqual(try rows("SELECT count(*) AS n FROM step").first?["n"] as? Int, 1, "a dry run changes nothing")

        let imported = try bce3s("import", "--from", "scratch", "--step", "b")
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.hasSuffix("imported 1 step into \(directory.appendingPathComponent("results").path) "
                                                + "(1 run copied for their provenance)\n"), imported.stdout)
        XCTAssertEqual(try rows("SELECT name FROM step ORDER BY name").compactMap { $0["name"] as? String }, ["a", "b"])
        XCTAssertEqual(try rows("SELECT pipeline FROM run ORDER BY id").compactMap { $0["pipeline"] as? String },
                       ["p.yaml", "p.yaml", "import"])
        for suffix in ["-wal", "-shm"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: store + suffix), "the store stays one file (\(suffix))")
        }
        let rerun = try bce3s("run", "p.yaml")
        XCTAssertTrue(rerun.stdout.contains("2 steps, 0 ran, 2 reused"), rerun.stdout)
        XCTAssertTrue(try bce3s("import", "--from", "scratch").stdout
            .hasSuffix("nothing to import: \(directory.appendingPathComponent("results").path) already holds every selected step\n"))
    }

    /// A version computed elsewhere before this folder's own is imported, and the command says
    /// that `gc` would drop it rather than let it displace the current one.
    func testAnOlderVersionIsImportedWithANoteThatGCWouldDropIt() throws {
        try write("steps:\n  - {name: a, kind: write, params: {text: \"1\"}}\n", to: "p.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml", "--results", "scratch").status, 0)
        try write("steps:\n  - {name: a, kind: write, params: {text: \"2\"}}\n", to: "p.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        let imported = try bce3s("import", "--from", "scratch")
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stderr.contains("note: a ["), imported.stderr)
        XCTAssertTrue(imported.stderr.contains("is older here than this folder's own version of that step (its run started earlier), "
                                               + "so `bce3s gc` would delete it"), imported.stderr)
        XCTAssertTrue(try bce3s("gc", "--dry-run").stdout.contains("would drop 1 of 2 stored steps"))
    }

    /// Importing a folder into itself, or from a folder with no store, fails with a clear line and
    /// exit 1; an import leaves no lock file behind, nor a folder made for an import of nothing.
    func testImportingIntoItselfOrFromNowhereIsRefusedAndNoLockOrEmptyFolderIsLeft() throws {
        try write("steps:\n  - {name: a, kind: write, params: {text: \"1\"}}\n", to: "p.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        let itself = try bce3s("import", "--from", "results")
        XCTAssertNotEqual(itself.status, 0)
        XCTAssertTrue(itself.stderr.contains("--from and --results are the same folder"), itself.stderr)
        let intoNew = try bce3s("import", "--from", "results", "--results", "new", "--step", "a")
        XCTAssertEqual(intoNew.status, 0, intoNew.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("new/store.sqlite").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("new/.run.lock").path),
                       "the lock file goes with the import")
        try write("steps:\n  - {name: f, kind: fail, params: {message: boom}}\n", to: "f.yaml")
        XCTAssertEqual(try bce3s("run", "f.yaml", "--results", "failing").status, 1)
        let nothing = try bce3s("import", "--from", "failing", "--results", "fresh")
        XCTAssertEqual(nothing.stdout, "nothing to import: \(directory.appendingPathComponent("failing").path) holds no finished step yet\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("fresh").path),
                       "no folder is left for an import of nothing")
        // A folder whose steps' files were not kept (a store committed without its artifacts).
        try FileManager.default.removeItem(at: directory.appendingPathComponent("results/artifacts"))
        let leftOut = try bce3s("import", "--from", "results", "--results", "fresh")
        XCTAssertEqual(leftOut.status, 0, leftOut.stderr)
        XCTAssertTrue(leftOut.stderr.contains("note: not imported: a ["), leftOut.stderr)
        XCTAssertEqual(leftOut.stdout, "nothing to import: every finished step of \(directory.appendingPathComponent("results").path) "
                       + "that is not already here was left out (notes above)\n")
        let nowhere = try bce3s("import", "--from", "nowhere")
        XCTAssertEqual(nowhere.status, 1)
        XCTAssertTrue(nowhere.stderr.contains("nowhere/store.sqlite: no store yet"), nowhere.stderr)
    }
}
