import Foundation
import XCTest
import Pipeline
import Store
@testable import Training
@testable import Steps

/// `bce3s status`'s estimate of the training left: a pending run's epochs at the median epoch of
/// its own checkpoint or of a stored run that costs the same per epoch (data, backbone, precision,
/// batch, augmentation, views per image, evaluation interval, threads).
final class TrainingTimeEstimateTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("estimate-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func parameters(_ method: String, recipe: String, epochs: Int, stage2: Int? = nil, dataset: String = "cifar10",
                            threads: Int? = nil) -> Parameters {
        var values: [String: ParameterValue] = ["dataset": .string(dataset), "imbalance": .int(100), "policy": .string("ldam"),
                                                "recipe": .string(recipe), "model": .string("resnet32"), "method": .string(method),
                                                "epochs": .int(epochs), "seed": .int(0)]
        if let stage2 { values["stage2_epochs"] = .int(stage2) }
        if let threads { values["threads"] = .int(threads) }
        return Parameters(values)
    }

    /// A store holding two finished trainings with the given epoch times (stage, seconds).
    private func store() throws -> ExperimentStore {
        let store = try ExperimentStore.openForWriting(at: directory.appendingPathComponent("store.sqlite"))
        let run = try store.beginRun(RunRecord(pipeline: "p.yaml", pipelineSHA256: "", argv: "", startedAt: Date(), status: .running,
                                               codeVersion: "test"))
        func ingest(_ name: String, _ key: String, _ parameters: Parameters, _ epochs: [(Int, Double)]) throws {
            let step = StepRecord(key: key, kind: "train", name: name, paramsJSON: try parameters.canonicalJSON, version: 2, status: .succeeded,
                                  outputDigest: "d", startedAt: Date(), finishedAt: Date(), seconds: 1, error: nil)
            let metrics = epochs.enumerated().flatMap { epoch, record in
                [MetricRecord(stepKey: key, name: "stage", value: Double(record.0), epoch: epoch),
                 MetricRecord(stepKey: key, name: "epoch_seconds", value: record.1, epoch: epoch)]
            }
            try store.ingest(StepIngest(step: step, inputs: [], artifacts: [], metrics: metrics),
                             runStep: RunStepRecord(runID: run, name: name, stepKey: key, outcome: .ran, reason: "new"))
        }
        try ingest("train-balanced_softmax", String(repeating: "b", count: 64), parameters("balanced_softmax", recipe: "ldam", epochs: 3),
                   [(1, 10), (1, 12), (1, 11)])
        try ingest("train-bce3s+stage2", String(repeating: "e", count: 64), parameters("bce3s+stage2", recipe: "bce3s-paper", epochs: 3, stage2: 2),
                   [(1, 40), (1, 44), (1, 42), (2, 6), (2, 7)])
        return store
    }

    func testEpochsLeftAtTheMedianOfTheCheckpointOrOfAComparableStoredRun() throws {
        let store = try store()
        let history = [50.0, 3000, 52].enumerated().map { epoch, seconds in
            EpochRecord(stage: 1, epoch: epoch, loss: 1, terms: [:], learningRate: 0.1, seconds: seconds, testTop1: nil)
        }
        let pending: [(name: String, key: String?, parameters: Parameters)] = [
            ("train-ce", "k1", parameters("ce", recipe: "ldam", epochs: 4)),
            ("train-ce-other-data", nil, parameters("ce", recipe: "ldam", epochs: 4, dataset: "cifar100")),
            ("train-bce_joint", "k2", parameters("bce_joint", recipe: "bce3s-paper", epochs: 10)),
            ("train-bce3s+stage2-rho0", "k3", parameters("bce3s+stage2", recipe: "bce3s-paper", epochs: 10, stage2: 2)),
            ("train-bce_joint-ldam", nil, parameters("bce_joint", recipe: "ldam", epochs: 4)),
            ("train-ce-1-thread", nil, parameters("ce", recipe: "ldam", epochs: 4, threads: 1)),
        ]
        let estimate = try TrainingTimeEstimate(pending: pending, store: store,
                                                checkpoints: ["k3": ResumePoint(epochsDone: 3, totalEpochs: 12, history: history, stageOneEpochs: 10)])

        XCTAssertEqual(estimate.entries[0].seconds, 4 * 11, "Balanced Softmax's median epoch: same dataset, recipe, model")
        XCTAssertEqual(estimate.entries[0].basis, "4 epochs at the median of train-balanced_softmax [bbbbbbbbbbbb] (11.0 s per epoch)")
        XCTAssertNil(estimate.entries[1].seconds, "no CIFAR-100 run stored")
        XCTAssertEqual(estimate.entries[1].basis, "no comparable run stored")
        XCTAssertEqual(estimate.entries[2].seconds, 10 * 42, "the stage-1 median of the BCE3S run on the same recipe")
        XCTAssertEqual(estimate.entries[3].seconds, 7 * 52 + 2 * 6.5,
                       "its own median stage-1 epoch (the paused 3,000 s one does not count), stage 2 from the stored run")
        XCTAssertEqual(estimate.entries[3].basis,
                       "9 epochs at its checkpoint's median (52.0 s per epoch, stage 2 6.5 s as train-bce3s+stage2)")
        XCTAssertNil(estimate.entries[4].seconds, "three views per image on the ldam recipe: not Balanced Softmax's one-view epochs")
        XCTAssertNil(estimate.entries[5].seconds, "one thread: not the two-thread run's epochs")
        XCTAssertEqual(ResumePoint.duration(estimate.entries.compactMap { $0.seconds }.reduce(0, +)), "≈ 14 min")
        XCTAssertFalse(estimate.entries.contains(where: \.isLowerBound))
    }

    /// A stage-2 run whose checkpoint gives stage 1's epoch time, with no stored run to tell stage
    /// 2's, gets stage 1's time left as a lower bound saying what it leaves out, not "no comparable run".
    func testACheckpointedRunWithoutAComparableStageTwoGetsALowerBound() throws {
        let store = try ExperimentStore.openForWriting(at: directory.appendingPathComponent("store.sqlite"))
        let history = [22.0, 24, 21].enumerated().map { epoch, seconds in
            EpochRecord(stage: 1, epoch: epoch, loss: 1, terms: [:], learningRate: 0.1, seconds: seconds, testTop1: nil)
        }
        let estimate = try TrainingTimeEstimate(
            pending: [("train-bce3s+stage2", "k", parameters("bce3s+stage2", recipe: "ldam", epochs: 5, stage2: 3))], store: store,
            checkpoints: ["k": ResumePoint(epochsDone: 3, totalEpochs: 8, history: history, stageOneEpochs: 5)])
        XCTAssertEqual(estimate.entries.first?.seconds, 2 * 22)
        XCTAssertEqual(estimate.entries.first?.isLowerBound, true)
        XCTAssertEqual(estimate.entries.first?.basis,
                       "2 stage-1 epochs at its checkpoint's median (22.0 s per epoch); its 3 stage-2 epochs not estimated (no comparable run stored)")
        let oneLeft = try TrainingTimeEstimate(
            pending: [("train-bce3s+stage2", "k", parameters("bce3s+stage2", recipe: "ldam", epochs: 4, stage2: 1))], store: store,
            checkpoints: ["k": ResumePoint(epochsDone: 3, totalEpochs: 5, history: history, stageOneEpochs: 4)])
        XCTAssertEqual(oneLeft.entries.first?.basis,
                       "1 stage-1 epoch at its checkpoint's median (22.0 s per epoch); its 1 stage-2 epoch not estimated (no comparable run stored)")
    }

    /// `bce3s status` printed "≥ ≈ 31 h 6 mi" for a 200-epoch run: the time column was cut at 13
    /// characters. It is as wide as its longest time now, and the basis column lines up.
    func testTheTableKeepsEveryTimeWhole() throws {
        let store = try ExperimentStore.openForWriting(at: directory.appendingPathComponent("store.sqlite"))
        let history = [709.4, 532.9, 568.3].enumerated().map { epoch, seconds in
            EpochRecord(stage: 1, epoch: epoch, loss: 1, terms: [:], learningRate: 0.01, seconds: seconds, testTop1: nil)
        }
        let estimate = try TrainingTimeEstimate(
            pending: [("train-wide", "k", parameters("bce3s+stage2", recipe: "ldam", epochs: 200, stage2: 10)),
                      ("train-other", nil, parameters("ce", recipe: "ldam", epochs: 200, stage2: 0))], store: store,
            checkpoints: ["k": ResumePoint(epochsDone: 3, totalEpochs: 210, history: history, stageOneEpochs: 200)])
        XCTAssertEqual(estimate.lines, [
            "  train-wide   ≥ ≈ 31 h 6 min  197 stage-1 epochs at its checkpoint's median (568.3 s per epoch); its 10 stage-2 epochs "
                + "not estimated (no comparable run stored)",
            "  train-other  ?               no comparable run stored",
            "  in all       ≥ ≈ 31 h 6 min and 1 without an estimate"])
    }
}
