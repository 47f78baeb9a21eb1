import XCTest
import Foundation
import Tensor
@testable import Methods

/// Small cases worked out by hand (the arithmetic is in each comment), plus the behaviour
/// the spec fixes: partial class sets, mixed targets, memory writes, presets and overrides.
final class HandComputedTests: XCTestCase {
    func testBCEOnZeroLogitsIsLog2PerClassInTheSet() {
        // z = 0 everywhere: every term is softplus(0) = log 2; 3 classes in S → 3·log 2 per sample.
        let loss = BinaryCrossEntropy()(logits: Tensor.zeros([2, 5]), targets: .labels([0, 3]), classSet: [0, 3, 4])
        XCTAssertEqual(loss.item(), 3 * Float(log(2.0)), accuracy: 1e-6)
    }

    func testBCESoftTargetPartnerClassHasNoNegativeTerm() {
        // One sample, K = 3, t = (0.25, 0.75, 0), z = (1, −1, 2):
        // 0.25·softplus(−1) + 0.75·softplus(1) + softplus(2) = 0.25·0.31326 + 0.75·1.31326 + 2.12693 = 3.19019.
        let t = Targets.mixed([1], [0], lambda: 0.75, classCount: 3)
        let loss = BinaryCrossEntropy()(logits: Tensor(shape: [1, 3], scalars: [1, -1, 2]), targets: t)
        XCTAssertEqual(loss.item(), 0.25 * 0.3132617 + 0.75 * 1.3132617 + 2.1269280, accuracy: 1e-5)
    }

    func testUniformLossOfOrthogonalVectors() {
        // Ŵ = I (K = 2): S = I, so per class softplus(−1) + softplus(0) = 0.31326 + 0.69315 = 1.00641.
        let loss = uniformLoss(classVectors: Tensor(shape: [2, 2], scalars: [3, 0, 0, 0.5]), scale: 1, form: .bce)
        XCTAssertEqual(loss.item(), 0.3132617 + 0.6931472, accuracy: 1e-6)
    }

    func testLDAMMarginsAndClassBalancedWeights() {
        // m_c = 0.5·(n_min/n_c)^(1/4): counts 10000 and 1 → 0.05 and 0.5.
        XCTAssertEqual(LDAMLoss(classCounts: [10000, 1]).margins, [0.05, 0.5])
        // β = 0.5, counts 1 and 2: raw (0.5/0.5, 0.5/0.75) = (1, 2/3), normalised to sum 2 → (1.2, 0.8).
        let w = classBalancedWeights(classCounts: [1, 2], beta: 0.5)
        XCTAssertEqual(w[0], 1.2, accuracy: 1e-6)
        XCTAssertEqual(w[1], 0.8, accuracy: 1e-6)
    }

    func testPartialClassSetKeepsAllPresentClasses() {
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<20 {
            let s = partialClassSet(labels: [7, 7, 2], classCount: 10, ratio: 0.4, generator: &rng)
            XCTAssertEqual(s.count, 4)
            XCTAssertTrue(s.contains(7) && s.contains(2))
            XCTAssertEqual(s, s.sorted())
        }
        // Five classes present but ⌊0.4·10⌋ = 4: all five positives are kept (our fix).
        XCTAssertEqual(partialClassSet(labels: [0, 1, 2, 3, 9], classCount: 10, ratio: 0.4, generator: &rng), [0, 1, 2, 3, 9])
        XCTAssertEqual(partialClassSet(labels: [5], classCount: 10, ratio: 1, generator: &rng), Array(0..<10))
        // The random extras vary with the generator and cover every absent class.
        var seen = Set<Int>()
        for _ in 0..<200 { seen.formUnion(partialClassSet(labels: [0], classCount: 10, ratio: 0.3, generator: &rng)) }
        XCTAssertEqual(seen, Set(0..<10))
    }

    func testMemoryLastOccurrenceWinsAndEmptyRowsGiveZeroCosine() {
        let memory = ClassMemory(classCount: 3, dimension: 2)
        memory.overwrite(with: Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 0, 2]), labels: [0, 1, 1])
        XCTAssertEqual(memory.rows.scalars, [1, 0, 0, 2, 0, 0])
        // Query (1, 1)/τ=0.5: cos with (1,0) = 0.7071 → 1.4142; with (0,2) → 1.4142; empty row → 0.
        let logits = memory.cosineLogits(Tensor(shape: [1, 2], scalars: [1, 1]), temperature: 0.5).scalars
        XCTAssertEqual(logits[0], 1.4142135, accuracy: 1e-5)
        XCTAssertEqual(logits[1], 1.4142135, accuracy: 1e-5)
        XCTAssertEqual(logits[2], 0)
    }

    func testMixingPixelsAndTargets() {
        // Two 1-channel 2×3 images: x = 0…5, x₂ = 10…15.
        let x = (0..<6).map(Float.init), x2 = (10..<16).map(Float.init)
        XCTAssertEqual(GLMCMixing.mixup(x, x2, lambda: 0.25), [7.5, 8.5, 9.5, 10.5, 11.5, 12.5])
        let box = ImageBox(rows: 1..<2, columns: 0..<2)
        XCTAssertEqual(GLMCMixing.cutmix(x, x2, channels: 1, height: 2, width: 3, box: box), [0, 1, 2, 13, 14, 5])
        XCTAssertEqual(GLMCMixing.cutmixWeight(lambda: 0.9, box: box, height: 2, width: 3, rule: .lambda), 0.9)
        XCTAssertEqual(GLMCMixing.cutmixWeight(lambda: 0.9, box: box, height: 2, width: 3, rule: .area), 1 - 2.0 / 6, accuracy: 1e-7)
        // Same class on both sides gives target 1 for it.
        XCTAssertEqual(Targets.mixed([1, 0], [1, 2], lambda: 0.3, classCount: 3).matrix(classCount: 3).scalars,
                       [0, 1, 0, 0.3, 0, 0.7])
    }

    func testMaxNormLeavesShortRowsAlone() {
        // Norms 1, 2, 11 → τ = 1 + 0.1·10 = 2: only the third row is rescaled to norm 2.
        let w = Tensor(shape: [3, 2], scalars: [1, 0, 0, 2, 11, 0])
        let maxNorm = MaxNorm(weight: w)
        XCTAssertEqual(maxNorm.threshold, 2)
        maxNorm.project(w)
        XCTAssertEqual(w.scalars, [1, 0, 0, 2, 2, 0])
    }

    func testPresetsValidateAndOverridesApply() throws {
        for preset in MethodSpec.presets {
            XCTAssertNoThrow(try MethodSpec.named(preset.name).validate(), preset.name)
        }
        let bce3s = try MethodSpec.named("bce3s")
        XCTAssertEqual([bce3s.contrastive, bce3s.uniform], [.bce, .bce])
        XCTAssertTrue(bce3s.mixing)
        let changed = try ConfigOverrides.apply(ConfigOverrides.parse(["uniform=off", "negative_ratio=1", "projection_dimension=64",
                                                                        "cutmix_target=area"], source: "test"), to: bce3s, source: "test")
        XCTAssertEqual(changed.uniform, .off)
        XCTAssertEqual(changed.negativeRatio, 1)
        XCTAssertEqual(changed.projectionDimension, 64)
        XCTAssertEqual(changed.cutmixTarget, .area)
        XCTAssertThrowsError(try MethodSpec.named("softmax"))
        for bad in ["negative_rato=1", "uniform=maybe", "mixing=3", "noequals", "temperature=nan", "uniform_weight=inf"] {
            XCTAssertThrowsError(try ConfigOverrides.apply(ConfigOverrides.parse([bad], source: "m"), to: bce3s, source: "m")) { error in
                XCTAssertTrue("\(error)".contains(bad.split(separator: "=").first!), "\(error) should name the field")
            }
        }
        XCTAssertThrowsError(try ConfigOverrides.apply(ConfigOverrides.parse(["temperature=-inf"], source: "method bce3s"),
                                                       to: bce3s, source: "method bce3s")) { error in
            XCTAssertEqual("\(error)", "method bce3s: field 'temperature': expected a finite number, got '-inf'")
        }
        var ldam = try MethodSpec.named("ldam_drw")
        ldam.mixing = true
        XCTAssertThrowsError(try ldam.validate())
    }
}
