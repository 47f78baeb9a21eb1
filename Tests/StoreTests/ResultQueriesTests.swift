import Foundation
import XCTest
@testable import Store

/// The named reads Reports and Steps use instead of SQL of their own (`ExperimentStore+Results`).
final class ResultQueriesTests: StoreTestCase {
    private let trainParams = #"{"dataset":"cifar10","epochs":200,"imbalance":100,"method":"bce3s+stage2","model":"resnet32","policy":"ldam","recipe":"ldam","seed":1}"#
    private let analyseParams = #"{"dataset":"cifar10","imbalance":100,"method":"bce3s+stage2","seed":1}"#

    /// A train step `t` (with stage 2), its analysis `a` (input `model` = t), a failed train step
    /// `f` and a dataset step `d`, ingested by one run.
    private func filledStore() throws -> (ExperimentStore, Int64) {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let runID = try run(store)
        func ingest(_ step: StepRecord, inputs: [StepInputRecord] = [], metrics: [MetricRecord] = []) throws {
            try store.ingest(StepIngest(step: step, inputs: inputs, artifacts: [], metrics: metrics),
                             runStep: RunStepRecord(runID: runID, name: step.name, stepKey: step.key, outcome: .ran, reason: "new"))
        }
        try ingest(step("d", name: "data", kind: "dataset", params: #"{"dataset":"cifar10","imbalance":100}"#))
        try ingest(step("t", name: "train-b", params: trainParams), metrics: [
            MetricRecord(stepKey: "t", name: "top1", value: 80, split: "test"),
            MetricRecord(stepKey: "t", name: "many", value: 90, split: "test"),
            MetricRecord(stepKey: "t", name: "stage1_top1", value: 75, split: "test"),
            MetricRecord(stepKey: "t", name: "top1", value: 10, epoch: 3, split: "test"),
            MetricRecord(stepKey: "t", name: "class_accuracy", value: 99, classIndex: 0, split: "test"),
            MetricRecord(stepKey: "t", name: "loss", value: 2, split: "train"),
        ])
        try ingest(step("a", name: "analyse-b", kind: "analyse", params: analyseParams),
                   inputs: [StepInputRecord(stepKey: "a", inputName: "model", position: 0, inputKey: "t", inputStep: "train-b", digest: "x")],
                   metrics: [MetricRecord(stepKey: "a", name: "nc1", value: 0.5, split: "test"),
                             MetricRecord(stepKey: "a", name: "fisher_ratio", value: 3, split: "test"),
                             MetricRecord(stepKey: "a", name: "nc1", value: 0.7, split: "train")])
        try ingest(step("f", name: "train-f", params: trainParams, status: .failed))
        return (store, runID)
    }

    func testTrainResultRowsJoinTheViewWithRecipeAndStageOne() throws {
        let (store, _) = try filledStore()
        XCTAssertEqual(try store.trainResultRows(), [
            TrainResultRow(key: "t", dataset: "cifar10", imbalance: 100, method: "bce3s+stage2", seed: 1, model: "resnet32",
                           policy: "ldam", recipe: "ldam", epochs: 200, precision: "fp32",
                           accuracies: [.top1: 80, .many: 90, .stage1Top1: 75], paramsJSON: trainParams),
        ])
    }

    func testLabelledFinalMetricsAreThoseOfOneKindAndSplitWithoutEpochOrClass() throws {
        let (store, _) = try filledStore()
        let rows = try store.labelledFinalMetrics(kind: "analyse", split: .test)
        XCTAssertEqual(rows.map(\.name), ["nc1", "fisher_ratio"], "in recorded order")
        XCTAssertEqual(rows.map(\.value), [0.5, 3])
        XCTAssertEqual(rows.first, LabelledMetricRow(key: "a", dataset: "cifar10", imbalance: 100, method: "bce3s+stage2",
                                                     seed: 1, name: "nc1", value: 0.5))
        XCTAssertEqual(try store.labelledFinalMetrics(kind: "train", split: .test).map(\.name), ["top1", "many", "stage1_top1"])
    }

    func testSucceededStepsCarryTheirModelInputsParameters() throws {
        let (store, _) = try filledStore()
        let steps = try store.succeededSteps(kinds: ["train", "analyse"])
        XCTAssertEqual(steps.map(\.step.key), ["a", "t"], "ordered by name; failed and other kinds left out")
        XCTAssertEqual(steps[0].modelParamsJSON, trainParams)
        XCTAssertNil(steps[1].modelParamsJSON)
        XCTAssertEqual(try store.succeededSteps(kinds: []), [])
        XCTAssertEqual(try store.finalMetrics(ofStep: "t", split: .test).map(\.name), ["top1", "many", "stage1_top1"])
    }

    func testLatestRunAndSucceededRunSteps() throws {
        let (store, firstRun) = try filledStore()
        XCTAssertEqual(try store.latestRun()?.id, firstRun)
        try store.finishRun(firstRun, status: .succeeded)
        let second = try store.beginRun(RunRecord(pipeline: "q.yaml", pipelineSHA256: "def", argv: "bce3s run q.yaml",
                                                  startedAt: Date(), status: .running, codeVersion: "next"))
        try store.record(RunStepRecord(runID: second, name: "train-b", stepKey: "t", outcome: .reused, reason: "cached"))
        try store.record(RunStepRecord(runID: second, name: "train-f", stepKey: "f", outcome: .failed, reason: "boom"))
        XCTAssertEqual(try store.latestRun()?.codeVersion, "next")
        let steps = try store.succeededRunSteps(ofRuns: [firstRun, second])
        XCTAssertEqual(steps.map { "\($0.runID) \($0.name) \($0.outcome.rawValue)" },
                       ["\(firstRun) data ran", "\(firstRun) train-b ran", "\(firstRun) analyse-b ran", "\(second) train-b reused"],
                       "the failed step is left out, whatever its outcome")
        XCTAssertEqual(try store.succeededRunSteps(ofRuns: [second]).map(\.stepKey), ["t"])
        XCTAssertEqual(try store.succeededRunSteps(ofRuns: []), [])
    }
}
