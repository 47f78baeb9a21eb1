import XCTest
import Foundation
import Datasets
import Methods
import NN
@testable import Training

/// Short runs of the real trainer on generated images (Datasets' `SyntheticImages`) with the
/// one-block-per-stage ResNet: learning beats chance, resume is bit-identical, divergence and
/// foreign checkpoints are errors, stage 2 runs with MaxNorm.
final class TrainerTests: XCTestCase {
    /// 4 classes, long-tailed 24/16/10/6 training images (4 batches of 14), 10 test images per class.
    /// Compute threads of every run here (the pipelines' default).
    static let threads = 2
    static let data = TrainingData.synthetic(perClass: [24, 16, 10, 6], testPerClass: 10, seed: 3)

    func job(_ method: String, epochs: Int, _ methodSets: [String] = [], _ recipeSets: [String] = []) throws -> TrainingJob {
        try TrainingJob.make(method: method, methodOverrides: methodSets, recipe: "ldam",
                             recipeOverrides: ["model=small", "epochs=\(epochs)", "batch_size=14", "warmup_epochs=0",
                                               "milestone_factors=1,1", "learning_rate=0.05", "eval_batch_size=40",
                                               "eval_every=0"] + recipeSets,
                             seed: 7)
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("TrainerTests-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testCEAndBCE3SBeatChance() throws {
        for method in ["ce", "bce3s"] {
            let result = try XCTUnwrap(Trainer.run(job(method, epochs: 4), data: Self.data, workDirectory: temporaryDirectory(), threads: Self.threads))
            // Chance is 25 %; the generated classes are easy once learnt.
            XCTAssertGreaterThan(result.evaluation.top1, 0.5, "\(method): \(result.evaluation)")
            XCTAssertGreaterThan(result.evaluation.top1Flip ?? 0, 0.5, method)
            XCTAssertEqual(result.history.count, 4)
            XCTAssertTrue(result.history.allSatisfy { $0.loss.isFinite })
            if method == "bce3s" {
                XCTAssertNil(result.history[0].terms["contrastive"], "epoch 0 only fills the memory")
                XCTAssertNotNil(result.history[1].terms["contrastive"])
                XCTAssertNotNil(result.history[1].terms["uniform"])
            }
        }
    }

    func testResumeIsBitIdenticalToAnUninterruptedRun() throws {
        let job = try self.job("bce3s", epochs: 2)
        let straight = try temporaryDirectory(), resumed = try temporaryDirectory()
        let a = try XCTUnwrap(Trainer.run(job, data: Self.data, workDirectory: straight, threads: Self.threads))
        XCTAssertNil(try ResumePoint.saved(in: resumed), "no checkpoint before the first epoch")
        XCTAssertNil(try Trainer.run(job, data: Self.data, workDirectory: resumed, threads: Self.threads, epochLimit: 1))
        XCTAssertFalse(FileManager.default.fileExists(atPath: resumed.appendingPathComponent("result.json").path))
        let point = try XCTUnwrap(try ResumePoint.saved(in: resumed))
        XCTAssertEqual(point.epochsDone, 1)
        XCTAssertEqual(point.history.map(\.loss), [a.history[0].loss], "the checkpoint's history is the run's first epoch")
        XCTAssertEqual(point.totalEpochs, 2, "the job's epochs, from the checkpoint's job")
        XCTAssertTrue(point.summary.hasPrefix(String(format: "1 of 2 epochs done (stage 1 epoch 1: loss %.4f, ", a.history[0].loss)),
                      point.summary)
        let b = try XCTUnwrap(Trainer.run(job, data: Self.data, workDirectory: resumed, threads: Self.threads))
        XCTAssertEqual(a.evaluation, b.evaluation)
        XCTAssertEqual(a.history.map(\.loss), b.history.map(\.loss))
        let weightsA = try SafeTensors(contentsOf: URL(fileURLWithPath: a.checkpoint))
        let weightsB = try SafeTensors(contentsOf: URL(fileURLWithPath: b.checkpoint))
        XCTAssertEqual(weightsA.tensors, weightsB.tensors, "final weights, BN statistics and memory differ")
        XCTAssertNotNil(weightsA.tensors["memory.feat_memory"])
        // A finished directory returns its stored result without training.
        XCTAssertEqual(try Trainer.run(job, data: Self.data, workDirectory: resumed, threads: Self.threads), b)
        // Damaged weights beside a finished result are written again from the checkpoint, not returned.
        let weights = URL(fileURLWithPath: b.checkpoint)
        try FileHandle(forWritingTo: weights).truncate(atOffset: 5000)
        let again = try XCTUnwrap(Trainer.run(job, data: Self.data, workDirectory: resumed, threads: Self.threads))
        XCTAssertEqual(again.evaluation, b.evaluation)
        XCTAssertEqual(try SafeTensors(contentsOf: weights).tensors, weightsB.tensors)
    }

    /// bf16 convolutions learn like fp32 on the same job, and a resumed bf16 run is bit-identical.
    func testBFloat16TrainsLikeFloat32AndResumesBitIdentically() throws {
        let fp32 = try XCTUnwrap(Trainer.run(job("ce", epochs: 4), data: Self.data, workDirectory: temporaryDirectory(), threads: Self.threads))
        let bf16Job = try job("ce", epochs: 4, [], ["precision=bf16"])
        let bf16 = try XCTUnwrap(Trainer.run(bf16Job, data: Self.data, workDirectory: temporaryDirectory(), threads: Self.threads))
        XCTAssertGreaterThan(bf16.evaluation.top1, 0.5, "bf16: \(bf16.evaluation)")
        XCTAssertNotEqual(bf16.history.map(\.loss), fp32.history.map(\.loss), "bf16 ran the fp32 path")
        for (a, b) in zip(bf16.history.map(\.loss), fp32.history.map(\.loss)) {
            XCTAssertEqual(a, b, accuracy: 0.05 * max(1, abs(b)), "epoch losses: bf16 \(a), fp32 \(b)")
        }
        let resumed = try temporaryDirectory()
        XCTAssertNil(try Trainer.run(bf16Job, data: Self.data, workDirectory: resumed, threads: Self.threads, epochLimit: 2))
        let again = try XCTUnwrap(Trainer.run(bf16Job, data: Self.data, workDirectory: resumed, threads: Self.threads))
        XCTAssertEqual(again.evaluation, bf16.evaluation)
        XCTAssertEqual(again.history.map(\.loss), bf16.history.map(\.loss))
    }

    func testDivergenceStopsWithoutAResult() throws {
        let directory = try temporaryDirectory()
        XCTAssertThrowsError(try Trainer.run(job("ce", epochs: 1, [], ["learning_rate=1e30"]), data: Self.data,
                                             workDirectory: directory, threads: Self.threads)) { error in
            guard case TrainingError.nonFiniteLoss = error else { return XCTFail("unexpected \(error)") }
            XCTAssertTrue("\(error)".contains("not finite"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("result.json").path))
    }

    /// A checkpoint whose `epochs_done` contradicts its history, or exceeds the job's epochs, is
    /// refused naming the file and the field (it crashed the worker or skipped epochs silently).
    func testACheckpointWithAnImpossibleEpochCountIsRefused() throws {
        let job = try self.job("ce", epochs: 2)
        let directory = try temporaryDirectory()
        XCTAssertNil(try Trainer.run(job, data: Self.data, workDirectory: directory, threads: Self.threads, epochLimit: 1))
        let url = directory.appendingPathComponent("state.safetensors")
        let original = try SafeTensors(contentsOf: url)
        let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(original.metadata["history"]!.utf8)) as? [Any]).first!
        for (done, records, expected) in [("-3", 1, "epochs_done (-3) does not match its history of 1 epoch(s)"),
                                          ("7", 1, "epochs_done (7) does not match its history of 1 epoch(s)"),
                                          ("3", 3, "epochs_done (3) is more than the job's 2 epochs")] {
            var changed = original
            changed.metadata["epochs_done"] = done
            changed.metadata["history"] = String(decoding: try JSONSerialization.data(withJSONObject: Array(repeating: record, count: records)),
                                                 as: UTF8.self)
            try changed.write(to: url)
            XCTAssertThrowsError(try Trainer.run(job, data: Self.data, workDirectory: directory, threads: Self.threads)) { error in
                guard case TrainingError.badCheckpoint = error else { return XCTFail("unexpected \(error)") }
                XCTAssertTrue("\(error)".contains(expected) && "\(error)".contains(url.path), "\(error)")
            }
        }
    }

    func testAnotherJobsCheckpointIsRefused() throws {
        let directory = try temporaryDirectory()
        XCTAssertNil(try Trainer.run(job("ce", epochs: 2), data: Self.data, workDirectory: directory, threads: Self.threads, epochLimit: 1))
        XCTAssertThrowsError(try Trainer.run(job("focal", epochs: 2), data: Self.data, workDirectory: directory, threads: Self.threads)) { error in
            guard case TrainingError.checkpointMismatch(_, let field, _, _) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(field, "job")
            XCTAssertTrue("\(error)".contains("the checkpoint was made with a different job (method.joint: checkpoint \"ce\", this run \"focal\"; "
                                                + "method_name: checkpoint \"ce\", this run \"focal\")"),
                          "only the differing field is named: \(error)")
        }
    }

    /// A mismatch names the differing fields, nested ones dotted, absent ones as nothing; text
    /// that is not a JSON object is shown whole.
    func testACheckpointMismatchNamesOnlyTheFieldsThatDiffer() {
        XCTAssertEqual(TrainingError.jsonDifference(found: #"{"a": 1, "r": {"lr": 0.1, "wd": 5}, "s": "x"}"#,
                                                    expected: #"{"a": 1, "r": {"lr": 0.2, "wd": 5}, "t": [1, 2]}"#),
                       #"r.lr: checkpoint 0.1, this run 0.2; s: checkpoint "x", this run nothing; t: checkpoint nothing, this run [1,2]"#)
        XCTAssertNil(TrainingError.jsonDifference(found: "abc", expected: #"{"a": 1}"#))
        XCTAssertEqual("\(TrainingError.checkpointMismatch(file: "f", field: "data", expected: "abc", found: "abd"))",
                       "f: the checkpoint was made with a different data (checkpoint: abd; this run: abc); use another output directory or delete it")
    }

    func testStageTwoTrainsTheHeadUnderMaxNorm() throws {
        let job = try self.job("bce", epochs: 1, [], ["stage2_epochs=1", "stage2_batch_size=28", "eval_every=1"])
        let directory = try temporaryDirectory()
        let result = try XCTUnwrap(Trainer.run(job, data: Self.data, workDirectory: directory, threads: Self.threads))
        XCTAssertNotNil(result.stage1)
        XCTAssertEqual(result.history.map(\.stage), [1, 2])
        let state = try SafeTensors(contentsOf: RunState.url(in: directory))
        let tau = Float(bitPattern: try XCTUnwrap(state.metadata["max_norm_threshold"].flatMap(UInt32.init)))
        let w = try SafeTensors(contentsOf: URL(fileURLWithPath: result.checkpoint)).float32("linear.weight", shape: [4, 64])
        let norms = (0..<4).map { k in (0..<64).map { w[k * 64 + $0] * w[k * 64 + $0] }.reduce(0, +).squareRoot() }
        // Rows above τ_W were rescaled to τ_W after the epoch; the longest stage-1 row was above it.
        XCTAssertTrue(norms.allSatisfy { $0 <= tau * 1.00001 }, "norms \(norms), τ \(tau)")
        XCTAssertEqual(norms.max()!, tau, accuracy: tau * 1e-5)
        XCTAssertThrowsError(try self.job("ce", epochs: 1, [], ["stage2_epochs=1"]), "stage 2 needs the normalised head")
    }

    func testTheFinalModelAfterStageTwoTakesPartInTheBestOnTestSelection() throws {
        // eval_every=0: no epoch of stage 2 is evaluated on its own, only the final model.
        let job = try self.job("bce", epochs: 1, [], ["stage2_epochs=2", "stage2_batch_size=28"])
        let result = try XCTUnwrap(Trainer.run(job, data: Self.data, workDirectory: try temporaryDirectory(), threads: Self.threads))
        XCTAssertEqual(result.history.last?.testTop1, result.evaluation.top1)
        let best = try XCTUnwrap(result.bestOnTest)
        XCTAssertGreaterThanOrEqual(best.top1, result.evaluation.top1)
        XCTAssertGreaterThanOrEqual(best.top1, try XCTUnwrap(result.stage1).top1)
    }

    func testAResumePointSaysWhenItsCheckpointIsUnreadable() throws {
        let directory = try temporaryDirectory()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try SafeTensors(metadata: ["epochs_done": "two"]).write(to: directory.appendingPathComponent("state.safetensors"))
        XCTAssertThrowsError(try ResumePoint.saved(in: directory)) { error in
            XCTAssertTrue("\(error)".contains("state.safetensors") && "\(error)".contains("run metadata"), "\(error)")
        }
        let evaluated = ResumePoint(epochsDone: 2, totalEpochs: nil, history: [
            EpochRecord(stage: 1, epoch: 0, loss: 1.5, terms: [:], learningRate: 0.1, seconds: 10, testTop1: 0.4123),
            EpochRecord(stage: 1, epoch: 1, loss: 1.25, terms: [:], learningRate: 0.1, seconds: 12, testTop1: nil)])
        XCTAssertEqual(evaluated.summary, "2 epochs done (stage 1 epoch 2: loss 1.2500, 12 s); last test top-1 41.23 % after stage 1 epoch 1")
        XCTAssertEqual(evaluated.historyLines, ["stage 1 epoch 1: loss 1.5000, lr 0.1, 10 s, test top-1 41.23 %",
                                                "stage 1 epoch 2: loss 1.2500, lr 0.1, 12 s"])
        let records = [400.0, 3978, 405, 390].enumerated().map { index, seconds in
            EpochRecord(stage: 1, epoch: index, loss: 9, terms: [:], learningRate: 0.01, seconds: seconds, testTop1: nil)
        }
        let wide = ResumePoint(epochsDone: 4, totalEpochs: 210, history: records, stageOneEpochs: 200)
        XCTAssertEqual(wide.stageOneEstimate, "≈ 21 h 55 min of stage 1 left at its median epoch (402 s)",
                       "196 × 402.5 s = 21 h 55 min: the paused 3,978 s epoch does not count")
        XCTAssertTrue(wide.summary.hasSuffix("; ≈ 21 h 55 min of stage 1 left at its median epoch (402 s)"), wide.summary)
        XCTAssertNil(ResumePoint(epochsDone: 4, totalEpochs: 4, history: records, stageOneEpochs: 4).stageOneEstimate, "stage 1 is done")
        XCTAssertEqual(ResumePoint.totalEpochs(jobJSON: #"{"recipe":{"epochs":200,"stage2_epochs":10}}"#), 210)
        XCTAssertNil(ResumePoint.totalEpochs(jobJSON: "{}"))
    }
}
