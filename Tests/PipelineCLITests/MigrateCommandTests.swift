import Foundation
import GRDB
import XCTest

/// `bce3s migrate` upgrades a store that reading commands refuse as outdated, and only that.
final class MigrateCommandTests: CLITestCase {
    func testMigrateBringsAnOutdatedStoreUpToDateWithoutRunningAnything() throws {
        try write("steps:\n  - name: total\n    kind: sum\n", to: "p.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        let store = directory.appendingPathComponent("results/store.sqlite")
        // A store from before the latest migration: its record of that migration removed.
        let latest = try DatabaseQueue(path: store.path).write { db in
            let latest = try XCTUnwrap(String.fetchOne(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid DESC LIMIT 1"))
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [latest])
            return latest
        }

        let refused = try bce3s("query", "SELECT count(*) AS n FROM run")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("the store's schema is older than this bce3s; `bce3s migrate --results "), refused.stderr)

        let migrated = try bce3s("migrate")
        XCTAssertEqual(migrated.status, 0, migrated.stderr)
        XCTAssertTrue(migrated.stdout.hasSuffix("results/store.sqlite: applied \(latest)\n"), migrated.stdout)
        XCTAssertEqual(try bce3s("query", "SELECT count(*) AS n FROM run").stdout, "n\n-\n1\n", "no run was added")
        XCTAssertTrue(try bce3s("migrate").stdout.hasSuffix("results/store.sqlite: schema up to date\n"))
    }

    /// A committed store (rollback journal, one file) stays one file in that mode after migrating,
    /// and migrating a current store neither writes it nor leaves anything beside it.
    func testMigrateLeavesACommittedStoreAsOneFileAndDoesNotTouchACurrentOne() throws {
        try write("steps:\n  - name: total\n    kind: sum\n", to: "p.yaml")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        let results = directory.appendingPathComponent("results")
        let store = results.appendingPathComponent("store.sqlite")
        let latest = try {
            let queue = try DatabaseQueue(path: store.path)
            return try queue.writeWithoutTransaction { db in
                let latest = try XCTUnwrap(String.fetchOne(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid DESC LIMIT 1"))
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [latest])
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                return latest
            }
        }()
        let beside = { try FileManager.default.contentsOfDirectory(atPath: results.path).filter { $0.hasPrefix("store.sqlite-") || $0 == ".run.lock" }.sorted() }
        try? FileManager.default.removeItem(at: results.appendingPathComponent(".run.lock"))
        XCTAssertEqual(try beside(), [], "as committed: one file")

        let migrated = try bce3s("migrate")
        XCTAssertTrue(migrated.stdout.hasSuffix("applied \(latest)\n"), migrated.stdout + migrated.stderr)
        XCTAssertEqual(try beside(), [], "no -wal, -shm or lock file left")
        XCTAssertEqual(try DatabaseQueue(path: store.path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }, "delete")

        let bytes = try Data(contentsOf: store)
        XCTAssertTrue(try bce3s("migrate").stdout.hasSuffix("results/store.sqlite: schema up to date\n"))
        XCTAssertEqual(try Data(contentsOf: store), bytes, "a current store is only read")
        XCTAssertEqual(try beside(), [], "and nothing is created beside it")
    }

    func testWithoutAStoreItSaysSo() throws {
        let output = try bce3s("migrate", "--results", "nowhere")
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("no store yet"), output.stderr)
    }

    /// Another program's SQLite file at the store's path is refused, not filled with bce3s's tables.
    func testAForeignDatabaseIsRefusedUntouched() throws {
        let store = directory.appendingPathComponent("other/store.sqlite")
        try FileManager.default.createDirectory(at: store.deletingLastPathComponent(), withIntermediateDirectories: true)
        try DatabaseQueue(path: store.path).write { try $0.execute(sql: "CREATE TABLE x (a)") }
        let before = try Data(contentsOf: store)
        for arguments in [["migrate", "--results", "other"], ["query", "--results", "other", "SELECT 1"]] {
            let output = try finish(try start(arguments))
            XCTAssertEqual(output.status, 1, "\(arguments)")
            XCTAssertTrue(output.stderr.contains("not a valid bce3s store (an SQLite database without bce3s's schema, holding tables x)"),
                          output.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: store), before, "left as it was")
    }
}
