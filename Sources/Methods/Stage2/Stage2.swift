import Foundation
import Tensor

/// BCE3S's stage 2 (classifier re-balancing, METHOD.md §3): with the backbone frozen, only the
/// normalised head's W and b are trained with the partial BCE, each sample's terms weighted by
/// the class-balanced weight of its label.
public struct Stage2Loss {
    /// w_c = (1−β)/(1−β^{n_c}) normalised to sum K.
    public let classWeights: [Float]
    /// The negative-subsampling ratio r.
    public let negativeRatio: Float
    let bce: BinaryCrossEntropy

    public init(classCounts: [Int], beta: Double = 0.99999, negativeRatio: Float = 0.4,
                clamp: Float = 64, negativeWeight: Float = 1) {
        classWeights = classBalancedWeights(classCounts: classCounts, beta: beta)
        self.negativeRatio = negativeRatio
        bce = BinaryCrossEntropy(clamp: clamp, negativeWeight: negativeWeight)
    }

    /// The loss of one batch: `logits` `[N, K]` of the head on frozen features, `labels` `[N]`.
    public func callAsFunction(logits: Tensor, labels: [Int], generator: inout SeededGenerator) -> Tensor {
        let classSet = negativeRatio < 1
            ? partialClassSet(labels: labels, classCount: logits.shape[1], ratio: negativeRatio, generator: &generator)
            : nil
        return bce(logits: logits, targets: .labels(labels), classSet: classSet,
                   sampleWeights: labels.map { classWeights[$0] })
    }
}

/// MaxNorm by projected gradient: rows of W whose norm exceeds τ_W are rescaled to τ_W, where
/// τ_W = min‖w‖ + `fraction`·(max‖w‖ − min‖w‖) is fixed once from the weights before stage 2.
/// The bias is not constrained.
public struct MaxNorm: Codable, Equatable, Sendable {
    /// τ_W.
    public let threshold: Float

    /// τ_W from the row norms of `weight` `[K, d]` (the stage-1 classifier).
    public init(weight: Tensor, fraction: Float = 0.1) {
        let norms = MaxNorm.rowNorms(weight)
        let (low, high) = (norms.min() ?? 0, norms.max() ?? 0)
        threshold = low + fraction * (high - low)
    }

    public init(threshold: Float) { self.threshold = threshold }

    /// Rescales in place every row of `weight` whose norm is above τ_W (done after every epoch).
    public func project(_ weight: Tensor) {
        precondition(weight.rank == 2 && weight.layout == .standard, "MaxNorm: expected a standard [K, d] weight")
        let norms = MaxNorm.rowNorms(weight)
        let d = weight.shape[1]
        weight.withUnsafeMutableScalars { w in
            for (k, norm) in norms.enumerated() where norm > threshold {
                let factor = threshold / norm
                for j in 0..<d { w[k * d + j] *= factor }
            }
        }
    }

    static func rowNorms(_ weight: Tensor) -> [Float] {
        let (k, d) = (weight.shape[0], weight.shape[1])
        let values = weight.scalars
        return (0..<k).map { row in Foundation.sqrt((0..<d).reduce(Float(0)) { $0 + values[row * d + $1] * values[row * d + $1] }) }
    }
}
