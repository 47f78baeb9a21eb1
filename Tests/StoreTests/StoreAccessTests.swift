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
        for sql in ["DELETE FROM step", "INSERT INTO run(pipeline) VALUES ('x')", "DROP TABLE metric", "CREATE TABLE t(x)"] {
            XCTAssertThrowsError(try reader.query(sql), sql) { error in
                guard case StoreError.readOnly = error else { return XCTFail("\(sql): unexpected \(error)") }
            }
        }
        XCTAssertEqual(try reader.query("SELECT count(*) AS n FROM step").rows, [[0.databaseValue]])
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
        XCTAssertEqual(table.rendered(as: .csv), "name,value,note\na,1,\n\"b,c\",2.5,\"say \"\"hi\"\"\"\n")
        XCTAssertEqual(table.rendered(as: .table), """
            name  value  note
            ----  -----  --------
            a     1
            b,c   2.5    say "hi"

            """)
        let json = try JSONSerialization.jsonObject(with: Data(table.rendered(as: .json).utf8)) as? [[String: Any]]
        XCTAssertEqual(json?.count, 2)
        XCTAssertEqual(json?[1]["value"] as? Double, 2.5)
        XCTAssertTrue(json?[0]["note"] is NSNull)
    }
}
