import Foundation
import Tensor

/// The LDAM loss of Cao et al. 2019 on cosine logits (`CosineHead`): the true-class cosine
/// minus a class margin, scaled by s, then (optionally class-weighted) cross-entropy.
public struct LDAMLoss {
    /// m_c ∝ n_c^(−1/4), the largest equal to `maxMargin`.
    public let margins: [Float]
    /// The scale s (30 in LDAM-DRW).
    public let scale: Float

    public init(classCounts: [Int], maxMargin: Float = 0.5, scale: Float = 30) {
        precondition(classCounts.allSatisfy { $0 > 0 }, "LDAMLoss: every class needs a positive training count")
        let raw = classCounts.map { 1 / Foundation.sqrt(Foundation.sqrt(Double($0))) }
        let top = raw.max() ?? 1
        margins = raw.map { Float($0 * Double(maxMargin) / top) }
        self.scale = scale
    }

    /// `cosines` `[N, K]`; `classWeights` are the DRW weights once re-weighting has started.
    public func callAsFunction(cosines: Tensor, labels: [Int], classWeights: [Float]? = nil) -> Tensor {
        let k = cosines.shape[1]
        var shift = [Float](repeating: 0, count: labels.count * k)
        for (i, y) in labels.enumerated() { shift[i * k + y] = margins[y] }
        let margined = cosines - Tensor(shape: [labels.count, k], scalars: shift)
        return crossEntropy(logits: margined * scale, targets: .labels(labels), classWeights: classWeights)
    }
}

/// Class-balanced weights of Cui et al. 2019: (1−β)/(1−β^{n_c}) normalised to sum to the
/// number of classes. LDAM-DRW uses β = 0.9999 (DRW), BCE3S's stage 2 β = 0.99999.
public func classBalancedWeights(classCounts: [Int], beta: Double) -> [Float] {
    let raw = classCounts.map { (1 - beta) / (1 - Foundation.pow(beta, Double($0))) }
    let total = raw.reduce(0, +)
    return raw.map { Float($0 / total * Double(classCounts.count)) }
}
