import XCTest
import Tensor
@testable import Methods

/// Finite-difference gradients of every loss, including soft targets, the ±64 clamp and
/// partial class sets.
final class LossGradientTests: XCTestCase {
    let labels = [2, 0, 4, 2, 1]
    let partner = [1, 0, 3, 3, 4]
    let counts = [500, 120, 40, 11, 3]
    var logits: Tensor { uniformTensor([5, 5], low: -3, high: 3, seed: 1) }
    var soft: Targets { .mixed(labels, partner, lambda: 0.35, classCount: 5) }

    func testCrossEntropyFocalBalancedSoftmax() {
        checkLossGradients("ce labels", [logits]) { crossEntropy(logits: $0[0], targets: .labels(labels)) }
        checkLossGradients("ce class weights", [logits]) {
            crossEntropy(logits: $0[0], targets: .labels(labels), classWeights: classBalancedWeights(classCounts: counts, beta: 0.9999))
        }
        checkLossGradients("ce soft", [logits]) { crossEntropy(logits: $0[0], targets: soft) }
        for gamma: Float in [1, 2, 0.5] {
            checkLossGradients("focal γ=\(gamma)", [logits]) { focalLoss(logits: $0[0], labels: labels, gamma: gamma) }
        }
        checkLossGradients("balanced softmax soft", [logits]) { balancedSoftmaxLoss(logits: $0[0], targets: soft, classCounts: counts) }
    }

    func testLDAM() {
        let ldam = LDAMLoss(classCounts: counts)
        // s = 30 makes the loss steep; a smaller step keeps the central difference accurate.
        checkLossGradients("ldam drw", [uniformTensor([5, 5], seed: 2)], eps: 1e-3, atol: 5e-3) {
            ldam(cosines: $0[0], labels: labels, classWeights: classBalancedWeights(classCounts: counts, beta: 0.9999))
        }
    }

    func testBinaryCrossEntropyClampPartialSoft() {
        let z = logits
        z.withUnsafeMutableScalars { $0[1] = 70; $0[8] = -66; $0[12] = 63.5 }  // two clamped, one just inside
        let bce = BinaryCrossEntropy()
        checkLossGradients("bce clamp + partial set", [z]) { bce(logits: $0[0], targets: .labels(labels), classSet: [0, 1, 2, 4]) }
        checkLossGradients("bce soft, l=0.5", [z]) {
            BinaryCrossEntropy(negativeWeight: 0.5)(logits: $0[0], targets: soft)
        }
        checkLossGradients("bce sample weights", [z]) {
            bce(logits: $0[0], targets: .labels(labels), classSet: [0, 2, 3, 4], sampleWeights: [0.5, 1, 2, 0.5, 3])
        }
    }

    func testHeadsAndUniform() {
        var rng = SeededGenerator(seed: 3)
        let features = uniformTensor([5, 4], low: -2, high: 2, seed: 4)
        let normalized = NormalizedHead(featureDimension: 4, classCount: 5, generator: &rng)
        checkLossGradients("normalised head + bce", [features, normalized.weight, normalized.bias]) { t in
            BinaryCrossEntropy()(logits: Tensor.linear(t[0], weight: t[1].l2NormalizedRows(eps: 1e-5), bias: t[2]),
                                 targets: .labels(labels))
        }
        let cosine = CosineHead(featureDimension: 4, classCount: 5, generator: &rng)
        checkLossGradients("cosine head + ldam", [features, cosine.weight], eps: 1e-3, atol: 5e-3) { t in
            LDAMLoss(classCounts: counts)(cosines: Tensor.linear(t[0].l2NormalizedRows(), weight: t[1].transposed().l2NormalizedRows()),
                                          labels: labels)
        }
        for form in TermForm.allCases {
            checkLossGradients("uniform \(form)", [uniformTensor([5, 4], seed: 5)]) {
                uniformLoss(classVectors: $0[0], scale: 2, form: form)
            }
        }
    }

    func testContrastiveThroughProjection() {
        var rng = SeededGenerator(seed: 6)
        let projection = ProjectionHead(featureDimension: 4, outputDimension: 3, generator: &rng)
        let memory = ClassMemory(classCount: 5, dimension: 3)
        memory.overwrite(with: uniformTensor([4, 3], seed: 7), labels: [0, 1, 3, 4])   // class 2 stays empty
        let features = uniformTensor([5, 4], low: -2, high: 2, seed: 8)
        let p = projection.parameters.map(\.tensor)
        checkLossGradients("contrastive bce via projection", [features] + p) { t in
            let hidden = Tensor.linear(t[0], weight: t[1], bias: t[2]).relu()
            let projected = Tensor.linear(hidden, weight: t[3], bias: t[4])
            return BinaryCrossEntropy()(logits: memory.cosineLogits(projected, temperature: 0.5), targets: soft)
        }
    }
}
