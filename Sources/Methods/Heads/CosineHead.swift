import Foundation
import Tensor

/// LDAM-DRW's `NormedLinear`: the cosine `f̂ · ŵ_k` between the normalised feature and class
/// vector. The scale s = 30 is applied by `LDAMLoss`, not here.
///
/// The weight is stored `[d, K]` (one column per class) as in the reference, so checkpoints
/// load in PyTorch; initialised U(−1, 1) with every column rescaled to unit norm
/// (`uniform_(-1, 1).renorm_(2, 1, 1e-5).mul_(1e5)`).
public final class CosineHead: ClassifierHead {
    /// `[d, K]`.
    public let weight: Tensor

    public init(featureDimension d: Int, classCount k: Int, generator: inout SeededGenerator) {
        let columns = Tensor.randomUniform([k, d], low: -1, high: 1, using: &generator).l2NormalizedRows()
        weight = columns.transposed()
        weight.requiresGrad = true
    }

    public var classCount: Int { weight.shape[1] }
    public var parameters: [NamedTensor] { [("weight", weight)] }
    public var classVectors: Tensor { weight.transposed() }

    /// Cosines in [−1, 1], `[N, K]`.
    public func logits(_ features: Tensor) -> Tensor {
        Tensor.linear(features.l2NormalizedRows(), weight: classVectors.l2NormalizedRows())
    }
}
