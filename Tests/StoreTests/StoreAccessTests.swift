import Foundation
import GRDB
import XCTest
@testable import Store

/// Read-only access, corrupt files and the query output formats.
final class StoreAccessTests: StoreTestCase {
    func testACorruptFileGivesAClearErrorNamingTheFile() throws {
        try Data(repeating: 0x42, count: 4096).write(to: storeURL)
        for open in [ExperimentStore.openForWriting, ExperimentStore.openReadOnly] {
            XCTAssertThrowsError(try open(storeURL)) { error in
                guard case StoreError.corrupt(let url, _) = error else { return XCTFail("unexpected \(error)") }
                XCTAssertEqual(url, storeURL)
                XCTAssertTrue("\(error)".contains("not a valid bce3s store"), "\(error)")
            }
        }
    }

    func testReadOnlyStoreRefusesWrites() throws {
        _ = try ExperimentStore.openForWriting(at: storeURL)
        let reader = try ExperimentStore.openReadOnly(at: storeURL)
        for sql in ["DELETE FROM step", "INSERT INTO run(pipeline) VALUES ('x')", "DROP TABLE metric", "CREATE TABLE t(x)",
                    "PRAGMA user_version = 99"] {
            XCTAssertThrowsError(try reader.query(sql), sql) { error in
                guard case StoreError.readOnly = error else { return XCTFail("\(sql): unexpected \(error)") }
                XCTAssertTrue("\(error)".contains("refused: bce3s query only reads, and this statement would change the store (SQLite: "),
                              "\(sql): \(error)")
            }
        }
        XCTAssertEqual(try reader.query("SELECT count(*) AS n FROM step").rows, [[0.databaseValue]])
        XCTAssertEqual(try reader.query("PRAGMA journal_mode").columns, ["journal_mode"])
        XCTAssertEqual(try reader.query("PRAGMA table_info(step)").columns.first, "cid")
        XCTAssertThrowsError(try reader.query("SELECT 1; DELETE FROM step")) { error in
            XCTAssertEqual(error as? StoreError, .sqlite(storeURL, "give one SQL statement at a time (found more than one)"))
        }
        XCTAssertThrowsError(try reader.query("  ")) { error in
            XCTAssertEqual(error as? StoreError, .sqlite(storeURL, "no SQL statement given"))
        }
    }

    func testReadOnlyOpenOfAMissingStoreSaysSo() {
        XCTAssertThrowsError(try ExperimentStore.openReadOnly(at: storeURL)) { error in
            XCTAssertEqual(error as? StoreError, .missing(storeURL))
        }
    }

    func testReadersSeeCommittedDataWhileTheWriterIsOpen() throws {
        let writer = try ExperimentStore.openForWriting(at: storeURL)
        let reader = try ExperimentStore.openReadOnly(at: storeURL)
        _ = try run(writer)
        XCTAssertEqual(try reader.runs().count, 1)
        _ = try run(writer)
        XCTAssertEqual(try reader.runs().map(\.status), [.interrupted, .running])
    }

    func testQueryFormats() throws {
        let rows: [[any DatabaseValueConvertible]] = [["a", 1, DatabaseValue.null], ["b,c", 2.5, "say \"hi\""]]
        let table = QueryTable(columns: ["name", "value", "note"], rows: rows.map { $0.map(\.databaseValue) })
        XCTAssertEqual(try table.rendered(as: .csv), "name,value,note\na,1,\n\"b,c\",2.5,\"say \"\"hi\"\"\"\n")
        XCTAssertEqual(try table.rendered(as: .table), """
            name  value  note
            ----  -----  --------
            a     1
            b,c   2.5    say "hi"

            """)
        let json = try JSONSerialization.jsonObject(with: Data(try table.rendered(as: .json).utf8)) as? [[String: Any]]
        XCTAssertEqual(json?.count, 2)
        XCTAssertEqual(json?[1]["value"] as? Double, 2.5)
        XCTAssertTrue(json?[0]["note"] is NSNull)
    }

    /// Two columns of one name cannot be one JSON object: a clear error, not a crash.
    func testDuplicateColumnNamesAreAJSONErrorNamingTheColumn() throws {
        let table = QueryTable(columns: ["a", "b", "a"], rows: [[1, 2, 3].map(\.databaseValue)])
        XCTAssertEqual(try table.rendered(as: .csv), "a,b,a\n1,2,3\n")
        XCTAssertThrowsError(try table.rendered(as: .json)) { error in
            XCTAssertTrue("\(error)".contains("column 'a' appears more than once"), "\(error)")
        }
    }

    /// Issue 17 case 4: a store with a migration this binary does not know is refused, naming the
    /// version that made it, by writers and readers alike.
    func testAStoreFromANewerVersionIsRefused() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        _ = try run(store)
        try store.write { db in try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v9-from-the-future')") }
        for open in [ExperimentStore.openForWriting, ExperimentStore.openReadOnly] {
            XCTAssertThrowsError(try open(storeURL)) { error in
                XCTAssertEqual(error as? StoreError, .foreign(storeURL, unknownMigrations: ["v9-from-the-future"], madeBy: "test"))
                XCTAssertTrue("\(error)".contains("made by bce3s test"), "\(error)")
            }
        }
    }

    /// Issue 17 case 6: a store whose index pages are damaged is refused at open, with what to do.
    func testADamagedIndexIsFoundAtOpen() throws {
        do {
            let store = try ExperimentStore.openForWriting(at: storeURL)
            try store.write { db in
                try step("k", name: "a").insert(db)
                for i in 0..<2000 {
                    try MetricRecord(stepKey: "k", name: "m\(i)", value: Double(i), epoch: i, classIndex: nil, split: nil).insert(db)
                }
            }
        }
        let queue = try DatabaseQueue(path: storeURL.path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let (root, pageSize) = try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'metric_by_step'")!,
             try Int.fetchOne(db, sql: "PRAGMA page_size")!)
        }
        try queue.close()
        let handle = try FileHandle(forUpdating: storeURL)
        try handle.seek(toOffset: UInt64((root - 1) * pageSize))
        try handle.write(contentsOf: Data(repeating: 0xFF, count: 64))
        try handle.close()
        XCTAssertThrowsError(try ExperimentStore.openForWriting(at: storeURL)) { error in
            guard case StoreError.corrupt = error else { return XCTFail("unexpected \(error)") }
            XCTAssertTrue("\(error)".contains("move it away"), "\(error)")
        }
    }

    /// Issue 17 case 5: a copy nobody may write (no `-shm` can be created) is read as immutable.
    func testAnImmutableCopyIsReadableWithoutSharedMemoryFile() throws {
        do { _ = try run(try ExperimentStore.openForWriting(at: storeURL)) }
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storeURL.path + suffix) }
        let reader = try ExperimentStore.openReadOnly(at: storeURL, immutable: true)
        XCTAssertEqual(try reader.runs().count, 1)
        XCTAssertEqual(try reader.query("SELECT count(*) AS n FROM run").rows, [[1.databaseValue]])
        XCTAssertFalse(FileManager.default.fileExists(atPath: storeURL.path + "-shm"))
        XCTAssertThrowsError(try reader.query("DELETE FROM run"))
    }

    /// A new store appears whole: made under a temporary name and renamed, so a kill while it is
    /// made never leaves a 0-byte `store.sqlite` (which every command refuses); a temporary file a
    /// killed creation left behind is replaced, not reused, and nothing is left beside the store.
    func testANewStoreIsCreatedWholeAndAKilledCreationsLeftoverIsReplaced() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let leftover = directory.appendingPathComponent(".store.sqlite.creating")
        try Data("half-made".utf8).write(to: leftover)
        try Data("stale journal".utf8).write(to: URL(fileURLWithPath: leftover.path + "-journal"))
        do { _ = try run(try ExperimentStore.openForWriting(at: storeURL)) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: leftover.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: leftover.path + "-journal"))
        XCTAssertEqual(try ExperimentStore.openReadOnly(at: storeURL).runs().count, 1)
        XCTAssertTrue(try ExperimentStore.isUpToDate(at: storeURL))
    }

    /// A store file that lost its contents (0 bytes, no write-ahead log) is refused by every open,
    /// never taken for a new store (which `run` would refill from scratch and `gc` would act on).
    func testAnEmptiedStoreIsRefusedNotStartedAfresh() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data().write(to: storeURL)
        for open in [ExperimentStore.openForWriting, ExperimentStore.openReadOnly] {
            XCTAssertThrowsError(try open(storeURL)) { error in
                XCTAssertEqual(error as? StoreError, .emptied(storeURL))
                XCTAssertTrue("\(error)".contains("the store is empty (0 bytes)"), "\(error)")
            }
        }
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: storeURL.path)[.size] as? Int, 0, "left as it was")
    }

    /// A store copied after a `kill -9` without its write-ahead log records no run (its results are
    /// in the log): every open refuses it, naming the log to copy, instead of calling
    /// its schema outdated (read) or starting a fresh store beside the folder's results (write).
    func testACopyWithoutItsWriteAheadLogIsRefusedNamingTheLog() throws {
        var live: ExperimentStore? = try ExperimentStore.openForWriting(at: storeURL)
        _ = try run(live!)
        let copy = directory.appendingPathComponent("copy/store.sqlite")
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: storeURL, to: copy)   // the main file alone, while the log holds everything
        let artifact = copy.deletingLastPathComponent().appendingPathComponent("artifacts/0123abcd/model.safetensors")
        try FileManager.default.createDirectory(at: artifact.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("weights".utf8).write(to: artifact)   // the results the copied folder holds
        withExtendedLifetime(live) {}
        live = nil
        let size = try FileManager.default.attributesOfItem(atPath: copy.path)[.size] as? Int ?? 0
        XCTAssertGreaterThan(size, 0, "not the 0-byte case")
        let before = try Data(contentsOf: copy)
        for open in [ExperimentStore.openForWriting, ExperimentStore.openReadOnly] {
            XCTAssertThrowsError(try open(copy)) { error in
                XCTAssertEqual(error as? StoreError, .recordsNoRun(copy, immutable: false))
                XCTAssertTrue("\(error)".contains("copy store.sqlite-wal from the original folder beside it"), "\(error)")
            }
        }
        XCTAssertEqual(try Data(contentsOf: copy), before, "left as it was")
        try FileManager.default.removeItem(at: artifact.deletingLastPathComponent().deletingLastPathComponent())
        XCTAssertNoThrow(try ExperimentStore.openForWriting(at: copy).runs(),
                         "no results beside it: a store whose first run died before its first commit, started afresh")
        try? FileManager.default.removeItem(atPath: copy.path + "-wal")
        try? FileManager.default.removeItem(atPath: copy.path + "-shm")
        try FileManager.default.removeItem(at: copy)
        try FileManager.default.copyItem(at: storeURL, to: copy)
        for suffix in ["-wal"] where FileManager.default.fileExists(atPath: storeURL.path + suffix) {
            try FileManager.default.copyItem(atPath: storeURL.path + suffix, toPath: copy.path + suffix)
        }
        XCTAssertEqual(try ExperimentStore.openReadOnly(at: copy).runs().count, 1, "with its log, the copy is whole")
    }

    /// Issue 17 case 9: a store path that is a directory, and a results folder that is a file.
    func testADirectoryInPlaceOfTheStoreIsNamed() throws {
        try FileManager.default.createDirectory(at: storeURL, withIntermediateDirectories: true)
        for open in [ExperimentStore.openForWriting, ExperimentStore.openReadOnly] {
            XCTAssertThrowsError(try open(storeURL)) { error in XCTAssertEqual(error as? StoreError, .notAFile(storeURL)) }
        }
        let blocked = directory.appendingPathComponent("file/store.sqlite")
        try Data("x".utf8).write(to: directory.appendingPathComponent("file"))
        XCTAssertThrowsError(try ExperimentStore.openForWriting(at: blocked)) { error in
            guard case StoreError.notWritable = error else { return XCTFail("unexpected \(error)") }
            XCTAssertTrue("\(error)".contains("not writable"), "\(error)")
        }
    }

    /// Issue 17 case 7: rows stream out and a query stops past its row or time limit.
    func testQueriesStopAtTheirLimits() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c"
        var seen = 0
        XCTAssertThrowsError(try store.query(endless, limits: QueryLimits(maxRows: 1000, seconds: nil), columns: { _ in },
                                             row: { _ in seen += 1 })) { error in
            XCTAssertEqual(error as? StoreError, .limitReached("stopped after 1000 rows (--max-rows; 0 for no limit)"))
        }
        XCTAssertEqual(seen, 1000)
        let silent = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
        let started = Date()
        XCTAssertThrowsError(try store.query(silent, limits: QueryLimits(maxRows: nil, seconds: 0.5), columns: { _ in },
                                             row: { _ in })) { error in
            XCTAssertTrue("\(error)".contains("--timeout"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    /// A streamed JSON result without rows is still a JSON array.
    func testAnEmptyJSONResultIsAnEmptyArray() {
        var text = ""
        var writer = QueryWriter(format: .json, columns: ["a"]) { text += $0 }
        writer.finish()
        XCTAssertEqual(text, "[]\n")
    }
}
