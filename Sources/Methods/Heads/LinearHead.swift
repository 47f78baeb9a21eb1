import Foundation
import Tensor

/// The plain fully connected head `z = W f + b` (LDAM-DRW's `nn.Linear(64, K)` for CE, Focal
/// and Balanced Softmax), initialised as PyTorch does: W and b ~ U(±1/√d).
public final class LinearHead: ClassifierHead {
    /// `[K, d]`.
    public let weight: Tensor
    /// `[K]`.
    public let bias: Tensor

    public init(featureDimension d: Int, classCount k: Int, generator: inout SeededGenerator) {
        let bound = 1 / Float(d).squareRoot()
        weight = .uniformParameter([k, d], bound: bound, using: &generator)
        bias = .uniformParameter([k], bound: bound, using: &generator)
    }

    public var classCount: Int { weight.shape[0] }
    public var parameters: [NamedTensor] { [("weight", weight), ("bias", bias)] }
    public var classVectors: Tensor { weight }

    public func logits(_ features: Tensor) -> Tensor {
        Tensor.linear(features, weight: weight, bias: bias)
    }
}
