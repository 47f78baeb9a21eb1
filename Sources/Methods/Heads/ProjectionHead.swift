import Foundation
import Tensor

/// The projection of BCE3S's contrastive term: `Linear(d, d) → ReLU → Linear(d, p)` with
/// p = 128, initialised as PyTorch's `nn.Linear` (U(±1/√fan_in) for weights and biases).
/// Checkpoint names follow `nn.Sequential`: `0.weight`, `0.bias`, `2.weight`, `2.bias`.
public final class ProjectionHead {
    let hiddenWeight: Tensor, hiddenBias: Tensor
    let outputWeight: Tensor, outputBias: Tensor

    public init(featureDimension d: Int, outputDimension p: Int, generator: inout SeededGenerator) {
        let bound = 1 / Float(d).squareRoot()
        hiddenWeight = .uniformParameter([d, d], bound: bound, using: &generator)
        hiddenBias = .uniformParameter([d], bound: bound, using: &generator)
        outputWeight = .uniformParameter([p, d], bound: bound, using: &generator)
        outputBias = .uniformParameter([p], bound: bound, using: &generator)
    }

    /// Output dimension p.
    public var outputDimension: Int { outputWeight.shape[0] }

    public var parameters: [NamedTensor] {
        [("0.weight", hiddenWeight), ("0.bias", hiddenBias), ("2.weight", outputWeight), ("2.bias", outputBias)]
    }

    /// `[N, d] → [N, p]`.
    public func callAsFunction(_ features: Tensor) -> Tensor {
        let hidden = Tensor.linear(features, weight: hiddenWeight, bias: hiddenBias).relu()
        return Tensor.linear(hidden, weight: outputWeight, bias: outputBias)
    }
}
