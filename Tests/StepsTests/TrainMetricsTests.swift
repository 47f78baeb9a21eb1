import Foundation
import XCTest
import Datasets
import GRDB
import Methods
import Pipeline
@testable import Reports
@testable import Steps
import Store
@testable import Training

/// The contract between the train step, which writes its metrics by `TrainMetricName`, and their
/// readers — the store's `train_result` view, the report tables and the claims ledger.
final class TrainMetricsTests: XCTestCase {
    /// Three classes (Many, Medium, Few under the standard rule), two images each.
    private func evaluation(plain: [Int], flipped: [Int]) -> Evaluation {
        Evaluation(plain: plain, flipped: flipped, labels: [0, 0, 1, 1, 2, 2], classCounts: [150, 50, 10], rule: .standard)
    }

    private func result(stage2: Bool) throws -> TrainingResult {
        let job = try TrainingJob.make(method: "bce3s", recipe: "ldam", recipeOverrides: stage2 ? ["stage2_epochs=1"] : [], seed: 0)
        var history = [EpochRecord(stage: 1, epoch: 0, loss: 2.5, terms: ["joint": 2, "uniform": 0.5], learningRate: 0.1,
                                   seconds: 3, testTop1: 0.5)]
        if stage2 { history.append(EpochRecord(stage: 2, epoch: 0, loss: 1.5, terms: [:], learningRate: 0.01, seconds: 1, testTop1: nil)) }
        return TrainingResult(evaluation: evaluation(plain: [0, 0, 1, 0, 2, 0], flipped: [0, 1, 1, 1, 2, 2]),
                              stage1: stage2 ? evaluation(plain: [0, 0, 0, 0, 0, 2], flipped: [0, 0, 1, 0, 0, 2]) : nil,
                              bestOnTest: .init(stage: 1, epoch: 0, top1: 0.5), history: history, seconds: 4, secondsPerEpoch: 2,
                              checkpoint: "/tmp/model.safetensors", job: job, classCounts: [150, 50, 10])
    }

    /// The names, coordinates and order a run without stage 2 is stored with, as the code wrote
    /// them by string before the names were a type: the output digest of such a run is unchanged.
    func testARunWithoutStageTwoIsStoredAsBefore() throws {
        let metrics = TrainMetrics.metrics(of: try result(stage2: false))
        func row(_ m: Metric) -> String {
            [m.name, m.epoch.map(String.init) ?? "-", m.classIndex.map(String.init) ?? "-", m.split ?? "-", "\(m.value)"].joined(separator: " ")
        }
        XCTAssertEqual(metrics.map(row), [
            "top1 - - test 66.66666666666666", "many - - test 100.0", "medium - - test 50.0", "few - - test 50.0",
            "top1_flip - - test 83.33333333333334", "many_flip - - test 50.0", "medium_flip - - test 100.0", "few_flip - - test 100.0",
            "class_accuracy - 0 test 100.0", "class_accuracy - 1 test 50.0", "class_accuracy - 2 test 50.0",
            "class_accuracy_flip - 0 test 50.0", "class_accuracy_flip - 1 test 100.0", "class_accuracy_flip - 2 test 100.0",
            "best_on_test_top1_extra - - test 50.0",
            "loss 0 - train 2.5", "loss_joint 0 - train 2.0", "loss_uniform 0 - train 0.5", "lr 0 - - 0.1", "stage 0 - - 1.0",
            "top1 0 - test 50.0",
            "class_count - 0 train 150.0", "class_count - 1 train 50.0", "class_count - 2 train 10.0",
        ])
        XCTAssertEqual(TrainMetrics.timings(of: try result(stage2: false)).map(row),
                       ["epoch_seconds 0 - - 3.0", "seconds - - - 4.0", "seconds_per_epoch - - - 2.0"])
    }

    func testEveryNameTheTrainStepWritesIsATrainMetricName() throws {
        let written = try result(stage2: true)
        for metric in TrainMetrics.metrics(of: written) + TrainMetrics.timings(of: written) {
            let isLossTerm = ["joint", "uniform"].map(TrainMetricName.lossTerm).contains(metric.name)
            XCTAssertTrue(TrainMetricName(rawValue: metric.name) != nil || isLossTerm, metric.name)
            XCTAssertTrue(metric.split.map { MetricSplit(rawValue: $0) != nil } ?? true, "\(metric.name): split \(metric.split!)")
        }
    }

    /// Stored as the pipeline stores them, the metrics fill every column of `train_result`, and
    /// the tables read a stage-2 run's stage-1 model with its shot groups.
    func testTheStoreViewAndTheTablesReadWhatTheTrainStepWrites() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("train-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try ExperimentStore.openForWriting(at: directory.appendingPathComponent("store.sqlite"))
        let runID = try store.beginRun(RunRecord(pipeline: "p.yaml", pipelineSHA256: "abc", argv: "bce3s run p.yaml", startedAt: Date(),
                                                 status: .running, codeVersion: "test"))
        let key = String(repeating: "a", count: 64)
        let trained = try result(stage2: true)
        let params = #"{"dataset":"cifar100","epochs":1,"imbalance":100,"method":"bce3s+stage2","model":"resnet32","policy":"ldam","recipe":"ldam","seed":0}"#
        try store.ingest(StepIngest(step: StepRecord(key: key, kind: "train", name: "train-bce3s", paramsJSON: params, version: 2,
                                                     status: .succeeded, outputDigest: "d", startedAt: Date(), finishedAt: Date(),
                                                     seconds: 1, error: nil),
                                    inputs: [], artifacts: [],
                                    metrics: (TrainMetrics.metrics(of: trained) + TrainMetrics.timings(of: trained)).map { $0.record(stepKey: key) }),
                         runStep: RunStepRecord(runID: runID, name: "train-bce3s", stepKey: key, outcome: .ran, reason: "new"))
        let columns = TrainMetricName.resultColumns.map(\.rawValue)
        let row = try store.query("SELECT \(columns.joined(separator: ", ")) FROM train_result").rows
        XCTAssertEqual(row.count, 1)
        let e = trained.evaluation
        XCTAssertEqual(row.first?.map { Double.fromDatabaseValue($0) }, [e.top1, e.many, e.medium, e.few].map { $0.map { 100 * $0 } })

        let results = try StoredResults.trainResults(in: store)
        XCTAssertEqual(results.map(\.method), ["bce3s (before stage 2)", "bce3s+stage2"])
        let s1 = try XCTUnwrap(trained.stage1)
        XCTAssertEqual(results.first.map { [$0.top1, $0.many, $0.medium, $0.few] }, [s1.top1, s1.many, s1.medium, s1.few].map { $0.map { 100 * $0 } })
    }

    /// Each claim reads, from each run it draws on, a metric a train step stores — the stage-1
    /// model's for a stage-1 source — and names methods that are presets.
    func testEveryClaimReadsWhatTheTrainStepWritesOfPresetMethods() throws {
        let stored = Set(TrainMetrics.metrics(of: try result(stage2: true)).filter { $0.isFinal(on: .test) }.map(\.name))
        for claim in ClaimCatalog.claims {
            for source in claim.test.arms.flatMap(\.sources) {
                let method = source.method.hasSuffix(TrainStep.stage2Suffix) ? String(source.method.dropLast(TrainStep.stage2Suffix.count)) : source.method
                XCTAssertTrue(MethodSpec.presetNames.contains(method), "\(claim.id): \(source.method)")
                guard case .train = claim.test.metric else { continue }
                let name = try XCTUnwrap(claim.test.metric.storedName(stageOne: source.stageOne), claim.id)
                XCTAssertTrue(stored.contains(name), "\(claim.id) reads \(name), which no train step stores")
            }
        }
    }
}
