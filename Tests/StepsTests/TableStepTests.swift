import Foundation
import XCTest
import Pipeline
import Reports
@testable import Steps

/// What the `table` step hands the stage-2 table: each input run's final test metrics.
final class TableStepTests: XCTestCase {
    func testFinalTestMetricsLeaveOutEpochsClassesAndOtherSplits() {
        let metrics = [Metric("top1", 80, split: "test"), Metric("stage1_top1", 75, split: "test"),
                       Metric("top1", 10, epoch: 3, split: "test"), Metric("class_accuracy", 99, classIndex: 0, split: "test"),
                       Metric("loss", 2, split: "train"), Metric("seconds", 5), Metric("top1", 1, split: "test")]
        XCTAssertEqual(TableStep.finalTestMetrics(metrics), ["top1": 80, "stage1_top1": 75], "the first of a repeated name wins")
    }

    func testTheAblationSettingDefaultsToThePapersAndTakesBothParameters() throws {
        XCTAssertEqual(try TableStep.ablationSetting(Parameters()), PublishedNumbers.ablationSetting)
        let chosen = try TableStep.ablationSetting(Parameters(["ablation_dataset": .string("cifar10"), "ablation_imbalance": .int(50)]))
        XCTAssertEqual(chosen, Setting("cifar10", 50))
    }
}
