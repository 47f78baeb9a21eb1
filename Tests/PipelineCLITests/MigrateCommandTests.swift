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

    func testWithoutAStoreItSaysSo() throws {
        let output = try bce3s("migrate", "--results", "nowhere")
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("no store yet"), output.stderr)
    }
}
