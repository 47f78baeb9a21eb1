import Foundation
import XCTest
@testable import Reports

/// `ReportTables.stage2Table`: one row per run that had stage 2, before and after it.
final class Stage2TableTests: XCTestCase {
    func testRowsOfStageTwoRunsInTheGivenOrderWithDashesForWhatWasNotMeasured() {
        let table = ReportTables.stage2Table([
            (name: "train-b2", metrics: ["stage1_top1": 75.5, "top1": 80.126, "stage1_top1_flip": 76, "top1_flip": 81]),
            (name: "train-ce", metrics: ["top1": 70]),
            (name: "train-b1", metrics: ["stage1_top1": 60, "top1": 62.346]),
        ])
        XCTAssertEqual(table, """
            Stage 2 (classifier re-balancing): test top-1 (%) of the same run before and after it

            | run      | stage 1 | after stage 2 | stage 1, flip | after stage 2, flip |
            |:---------|--------:|--------------:|--------------:|--------------------:|
            | train-b2 |   75.50 |         80.13 |         76.00 |               81.00 |
            | train-b1 |   60.00 |         62.35 |             — |                   — |

            """)
    }

    func testWithoutStageTwoRunsTheTableSaysSo() {
        XCTAssertEqual(ReportTables.stage2Table([(name: "train-ce", metrics: ["top1": 70])]),
                       "Stage 2: no run of this pipeline has one.\n")
        XCTAssertEqual(ReportTables.stage2Table([]), "Stage 2: no run of this pipeline has one.\n")
    }
}
