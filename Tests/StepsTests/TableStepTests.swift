import Foundation
import XCTest
import Pipeline
import Reports
@testable import Steps

/// What the `table` step reads: its parameters, and each input run's final test metrics for the stage-2 table.
final class TableStepTests: XCTestCase {
    func testFinalTestMetricsLeaveOutEpochsClassesAndOtherSplits() {
        let metrics = [Metric("top1", 80, split: "test"), Metric("stage1_top1", 75, split: "test"),
                       Metric("top1", 10, epoch: 3, split: "test"), Metric("class_accuracy", 99, classIndex: 0, split: "test"),
                       Metric("loss", 2, split: "train"), Metric("seconds", 5), Metric("top1", 1, split: "test")]
        XCTAssertEqual(TableStep.finalTestMetrics(metrics), ["top1": 80, "stage1_top1": 75], "the first of a repeated name wins")
    }

    func testTableParametersDefaultToThePapersAblationSettingAndNameAWrongType() throws {
        let plain = try TableParameters(Parameters())
        XCTAssertEqual(plain.ablation, PublishedNumbers.ablationSetting)
        XCTAssertEqual(plain.deviations, [])
        XCTAssertEqual(plain.note, "")
        let chosen = try TableParameters(Parameters(["ablation_dataset": .string("cifar10"), "ablation_imbalance": .int(50),
                                                     "deviations": .list([.string("fewer epochs")]), "note": .string("n")]))
        XCTAssertEqual(chosen.ablation, Setting("cifar10", 50))
        XCTAssertEqual(chosen.deviations, ["fewer epochs"])
        XCTAssertEqual(chosen.note, "n")
        XCTAssertThrowsError(try TableParameters(Parameters(["note": .int(3)]))) {
            XCTAssertEqual(($0 as? ParameterError)?.key, "note")
        }
    }
}
