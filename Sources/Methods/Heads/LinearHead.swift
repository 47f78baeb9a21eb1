import Foundation
import Tensor

/// The plain fully connected head `z = W f + b` (LDAM-DRW's `nn.Linear(64, K)` for CE, Focal
/// and Balanced Softmax), initialised as LDAM-DRW's `resnet_cifar.py` does: its `_weights_init`
/// re-draws every Linear (and Conv2d) weight with `kaiming_normal_`, W ~ N(0, 2/d), and leaves
/// the bias at PyTorch's default, b ~ U(±1/√d).
public final class LinearHead: ClassifierHead {
    /// `[K, d]`.
    public let weight: Tensor
    /// `[K]`.
    public let bias: Tensor

    public init(featureDimension d: Int, classCount k: Int, generator: inout SeededGenerator) {
        weight = Tensor.randomNormal([k, d], std: (2 / Float(d)).squareRoot(), using: &generator)
        weight.requiresGrad = true
        bias = .uniformParameter([k], bound: 1 / Float(d).squareRoot(), using: &generator)
    }

    public var classCount: Int { weight.shape[0] }
    public var parameters: [NamedTensor] { [("weight", weight), ("bias", bias)] }
    public var classVectors: Tensor { weight }

    public func logits(_ features: Tensor) -> Tensor {
        Tensor.linear(features, weight: weight, bias: bias)
    }
}
