import XCTest
import Tensor
@testable import Methods

/// A whole BCE3S step (and its CE version) through `Objective` against the PyTorch step in
/// `Fixtures/make_loss_golden.py` (cases `bce3s_step`, `ce3s_step`), plus the epoch-0 warm-up.
final class ObjectiveTests: XCTestCase {
    func makeObjective(_ c: LossGoldenTests.Case, preset: String) throws -> Objective {
        var spec = try MethodSpec.named(preset)
        spec.negativeRatio = 1
        spec.projectionDimension = 3
        var rng = SeededGenerator(seed: 0)
        let objective = try Objective(spec: spec, featureDimension: 4, classCounts: [9, 7, 5, 3, 2], generator: &rng)
        let values = ["classifier.weight": "weight", "classifier.b": "bias", "projector.0.weight": "w1",
                      "projector.0.bias": "b1", "projector.2.weight": "w2", "projector.2.bias": "b2",
                      "memory.feat_memory": "memory"]
        for (name, tensor) in objective.parameters + objective.buffers {
            let source = c.tensor(values[name]!).scalars
            tensor.withUnsafeMutableScalars { $0.update(from: source) }
        }
        return objective
    }

    func batch(_ c: LossGoldenTests.Case) -> Objective.Batch {
        let (a, b) = (c.ints("labels"), c.ints("labels_b"))
        return Objective.Batch(labels: a, mixup: .mixed(a, b, lambda: c.number("lambda"), classCount: 5),
                               cutmix: .mixed(a, b, lambda: c.number("cutmix_weight"), classCount: 5))
    }

    func testStepMatchesPyTorch() throws {
        for (name, preset) in [("bce3s_step", "bce3s"), ("ce3s_step", "ce3s")] {
            let c = LossGoldenTests.cases[name]!
            let objective = try makeObjective(c, preset: preset)
            let features = c.tensor("features")
            features.requiresGrad = true
            var rng = SeededGenerator(seed: 1)
            let step = objective.loss(features: features, batch: batch(c), epoch: 1, epochs: 10, generator: &rng)
            XCTAssertEqual(step.total.item(), c.loss, accuracy: 1e-4, name)
            XCTAssertEqual(step.terms["joint"]!, c.number("sc"), accuracy: 1e-4, name)
            XCTAssertEqual(step.terms["contrastive"]!, c.number("ss"), accuracy: 1e-4, name)
            XCTAssertEqual(step.terms["uniform"]!, c.number("cc"), accuracy: 1e-4, name)
            step.total.backward()
            let grads = Dictionary(uniqueKeysWithValues: objective.parameters.map { ($0.name, $0.tensor) } + [("features", features)])
            for (key, param) in [("features", "features"), ("weight", "classifier.weight"), ("bias", "classifier.b"),
                                 ("w1", "projector.0.weight"), ("w2", "projector.2.weight")] {
                assertAllClose(grads[param]!.grad!.scalars, c.floats("grad_" + key), tolerance: { 1e-5 + 1e-3 * abs($0) },
                               "\(name): gradient of \(key)")
            }
            objective.commit(step)
            assertAllClose(objective.memory!.rows.scalars, c.floats("memory_after"), tolerance: { _ in 1e-5 },
                           "\(name): memory after the step")
        }
    }

    func testEpochZeroOnlyFillsTheMemory() throws {
        let c = LossGoldenTests.cases["bce3s_step"]!
        let objective = try makeObjective(c, preset: "bce3s")
        var rng = SeededGenerator(seed: 1)
        let step = objective.loss(features: c.tensor("features"), batch: batch(c), epoch: 0, epochs: 10, generator: &rng)
        XCTAssertNil(step.terms["contrastive"])
        XCTAssertEqual(step.total.item(), c.number("sc") + c.number("cc"), accuracy: 1e-4)
        objective.commit(step)
        assertAllClose(objective.memory!.rows.scalars, c.floats("memory_after"), tolerance: { _ in 1e-5 }, "memory after epoch 0")
    }

    func testBaselinesTrainOnUnmixedBatches() throws {
        let features = uniformTensor([6, 4], seed: 3)
        let labels = [0, 1, 2, 3, 4, 0]
        for name in ["ce", "focal", "ldam_drw", "balanced_softmax", "bce"] {
            var rng = SeededGenerator(seed: 2)
            let objective = try Objective(spec: MethodSpec.named(name), featureDimension: 4, classCounts: [50, 20, 9, 4, 2],
                                          generator: &rng)
            let step = objective.loss(features: features, batch: .init(labels: labels), epoch: 9, epochs: 10, generator: &rng)
            XCTAssertTrue(step.total.item().isFinite && step.total.item() > 0, name)
            XCTAssertEqual(objective.logits(features).shape, [6, 5], name)
        }
        // DRW switches on at ⌊0.8·epochs⌋.
        var rng = SeededGenerator(seed: 2)
        let ldam = try Objective(spec: MethodSpec.named("ldam_drw"), featureDimension: 4, classCounts: [50, 2], generator: &rng)
        XCTAssertNil(ldam.reweighting(epoch: 159, epochs: 200))
        XCTAssertNotNil(ldam.reweighting(epoch: 160, epochs: 200))
        XCTAssertNotNil(ldam.reweighting(epoch: 12, epochs: 15))
        XCTAssertNil(ldam.reweighting(epoch: 11, epochs: 15))
    }
}
