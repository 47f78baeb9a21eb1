import GRDB
import XCTest
@testable import Reports
import Store

/// The `claim_result` view reads back what a table step recorded: verdict, effect, interval, n per
/// side, the setting of the runs and their step names and keys.
final class ClaimResultViewTests: XCTestCase {
    /// Records a table step over `runs` (in that input order) holding the ledger of `claims`; its key.
    @discardableResult
    private func recordTable(_ fixture: ClaimStoreFixture, claims: Set<String>, runs: [String]) throws -> String {
        let ledger = try fixture.ledger(ClaimCatalog.claims.filter { claims.contains($0.id) })
        let positions = Dictionary(uniqueKeysWithValues: runs.enumerated().map { ($0.element, $0.offset) })
        let stored = ledger.storedValues(runPositions: positions, analysisPositions: [:])
        return try fixture.step(kind: "table", name: "table", params: [:], inputs: [("runs", runs)],
                                metricRecords: stored.map { ($0.name, $0.value, $0.label) })
    }

    func testTheViewShowsEachVerdictWithItsRunsAndSetting() throws {
        let fixture = try ClaimStoreFixture()
        var runs: [String] = []
        for (seed, (bce, ce)) in [(89.0, 70.0), (90.0, 71.0), (90.6, 70.2)].enumerated() {
            runs.append(try fixture.train("bce3s+stage2", seed: seed, metrics: ["top1": bce], epochs: 10, extra: ["stage2_epochs": 3]))
            runs.append(try fixture.train("ce", seed: seed, metrics: ["top1": ce], epochs: 10))
        }
        let table = try recordTable(fixture, claims: ["C1", "C4", "C14"], runs: runs)

        let result = try fixture.store.query("SELECT * FROM claim_result")
        let rows = result.rows.map { Dictionary(uniqueKeysWithValues: zip(result.columns, $0)) }
        XCTAssertEqual(rows.map { String.fromDatabaseValue($0["claim"]!) }, ["C1", "C4", "C14", "C14"])
        let c1 = rows[0]
        XCTAssertEqual(String.fromDatabaseValue(c1["setting"]!), "CIFAR-10-LT IF 100")
        XCTAssertEqual(String.fromDatabaseValue(c1["verdict"]!), "supported")
        XCTAssertEqual(String.fromDatabaseValue(c1["leaning"]!), "for")
        XCTAssertEqual(Double.fromDatabaseValue(c1["effect"]!)!, 19.4667, accuracy: 1e-4)
        XCTAssertEqual(Double.fromDatabaseValue(c1["low"]!)!, 17.815250105185044, accuracy: 1e-8)
        XCTAssertEqual(Int.fromDatabaseValue(c1["n_a"]!), 3)
        XCTAssertEqual(Int.fromDatabaseValue(c1["n_b"]!), 3)
        XCTAssertEqual(Int.fromDatabaseValue(c1["shortened"]!), 1)
        XCTAssertEqual(String.fromDatabaseValue(c1["epochs"]!), "10")
        XCTAssertEqual(String.fromDatabaseValue(c1["recipe"]!), "ldam")
        XCTAssertEqual(String.fromDatabaseValue(c1["precision"]!), "fp32")
        XCTAssertEqual(String.fromDatabaseValue(c1["steps_a"]!), "train-bce3s+stage2-0, train-bce3s+stage2-1, train-bce3s+stage2-2")
        XCTAssertEqual(String.fromDatabaseValue(c1["steps_b"]!), "train-ce-0, train-ce-1, train-ce-2")
        XCTAssertEqual(String.fromDatabaseValue(c1["step_keys"]!)?.split(separator: ",").count, 6)
        XCTAssertEqual(String.fromDatabaseValue(c1["table_key"]!), table)
        XCTAssertEqual(String.fromDatabaseValue(c1["pipeline"]!), "pipelines/p.yaml", "the run that recorded the table step")
        XCTAssertEqual(Int64.fromDatabaseValue(c1["run_id"]!), fixture.runID)

        let c4 = rows[1]
        XCTAssertEqual(String.fromDatabaseValue(c4["verdict"]!), "not run")
        XCTAssertTrue(c4["setting"]!.isNull && c4["effect"]!.isNull && c4["leaning"]!.isNull && c4["steps_a"]!.isNull)
        let c14 = rows[2]
        XCTAssertEqual(String.fromDatabaseValue(c14["verdict"]!), "inconclusive", "89.87, interval [−2.22, +1.79] around 90.08, margin 1")
        XCTAssertEqual(Double.fromDatabaseValue(c14["published"]!), 90.08)
        XCTAssertEqual(String.fromDatabaseValue(c14["leaning"]!), "for", "−0.21 is within the 1-point margin")
        XCTAssertTrue(c14["n_b"]!.isNull)
        XCTAssertEqual(String.fromDatabaseValue(rows[3]["verdict"]!), "not run")
        XCTAssertEqual(String.fromDatabaseValue(rows[3]["setting"]!), "CIFAR-100-LT IF 100; CIFAR-100-LT IF 50; CIFAR-100-LT IF 10",
                       "the CIFAR-100-LT settings without runs share one line, which names them")
    }

    func testVerdictsOfDifferentConditionsAreSeparateRows() throws {
        let fixture = try ClaimStoreFixture()
        var runs: [String] = []
        for (seed, (fp32, bf16)) in [(60.0, 69.9), (61.0, 70.5), (60.4, 70.2)].enumerated() {
            runs.append(try fixture.train("ce", seed: seed, metrics: ["top1": fp32]))
            runs.append(try fixture.train("ce", seed: seed, metrics: ["top1": bf16], extra: ["precision": "bf16"]))
        }
        try recordTable(fixture, claims: ["B1"], runs: runs)

        let result = try fixture.store.query("SELECT setting, verdict, leaning, effect, n_a, precision FROM claim_result WHERE verdict != 'not run'")
        let rows = result.rows.map { Dictionary(uniqueKeysWithValues: zip(result.columns, $0)) }
        XCTAssertEqual(rows.map { String.fromDatabaseValue($0["setting"]!) }, ["CIFAR-10-LT IF 100 · bf16", "CIFAR-10-LT IF 100 · fp32"])
        XCTAssertEqual(rows.map { String.fromDatabaseValue($0["precision"]!) }, ["bf16", "fp32"])
        XCTAssertEqual(rows.map { String.fromDatabaseValue($0["verdict"]!) }, ["supported", "contradicted"])
        XCTAssertEqual(rows.map { String.fromDatabaseValue($0["leaning"]!) }, ["for", "against"])
        XCTAssertEqual(Double.fromDatabaseValue(rows[1]["effect"]!)!, 60.466666666 - 70.36, accuracy: 1e-6)
        XCTAssertEqual(rows.map { Int.fromDatabaseValue($0["n_a"]!) }, [3, 3])
    }

    /// The lists follow the claim's sides, A first, each in input order — whatever order SQLite
    /// happens to meet the rows in: C1's side A is BCE3S, so its recipe reads "bce3s-paper,ldam"
    /// even when the CE runs come first in the table step's input.
    func testTheListsFollowTheSidesOfTheClaimInInputOrder() throws {
        let fixture = try ClaimStoreFixture()
        var runs: [String] = []
        for seed in [1, 0] { runs.append(try fixture.train("ce", seed: seed, metrics: ["top1": 70.0 + Double(seed)], epochs: 10)) }
        for seed in [1, 0] {
            runs.append(try fixture.train("bce3s+stage2", seed: seed, metrics: ["top1": 85.0 + Double(seed)], epochs: 10,
                                          recipe: "bce3s-paper", extra: ["stage2_epochs": 3]))
        }
        try recordTable(fixture, claims: ["C1"], runs: runs)

        let result = try fixture.store.query("SELECT recipe, steps_a, steps_b, step_keys FROM claim_result")
        XCTAssertEqual(result.rows.count, 1)
        let row = Dictionary(uniqueKeysWithValues: zip(result.columns, result.rows[0]))
        XCTAssertEqual(String.fromDatabaseValue(row["recipe"]!), "bce3s-paper,ldam")
        XCTAssertEqual(String.fromDatabaseValue(row["steps_a"]!), "train-bce3s+stage2-1, train-bce3s+stage2-0")
        XCTAssertEqual(String.fromDatabaseValue(row["steps_b"]!), "train-ce-1, train-ce-0")
        XCTAssertEqual(String.fromDatabaseValue(row["step_keys"]!), [runs[2], runs[3], runs[0], runs[1]].joined(separator: ", "))
    }
}
