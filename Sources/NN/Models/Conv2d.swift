import Foundation
import Tensor

/// A 2-D convolution layer without bias (weights OIHW, as PyTorch's `nn.Conv2d(bias=False)`).
public final class Conv2d {
    /// (out channels, in channels, k, k)
    public let weight: Tensor
    public let stride: Int
    public let padding: Int
    /// The arithmetic of the three convolution passes (`Precision`); the weights stay float32.
    public var precision: Precision = .fp32

    /// How a convolution's weights are drawn at construction.
    public enum Initialization {
        /// N(0, 2 / fan_in): `kaiming_normal_(w)` (LDAM-DRW's ResNet-32).
        case kaimingNormalFanIn
        /// N(0, 2 / fan_out): `kaiming_normal_(w, mode="fan_out", nonlinearity="relu")` (torchvision ResNets).
        case kaimingNormalFanOut
        /// U(±1/√fan_in): PyTorch's default `nn.Conv2d` init (`kaiming_uniform_(a=√5)`).
        case pytorchDefault
    }

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                initialization: Initialization, generator: inout SeededGenerator) {
        let shape = [outChannels, inChannels, kernel, kernel]
        let (fanIn, fanOut) = (Float(inChannels * kernel * kernel), Float(outChannels * kernel * kernel))
        switch initialization {
        case .kaimingNormalFanIn: weight = Tensor.randomNormal(shape, std: (2 / fanIn).squareRoot(), using: &generator)
        case .kaimingNormalFanOut: weight = Tensor.randomNormal(shape, std: (2 / fanOut).squareRoot(), using: &generator)
        case .pytorchDefault:
            let bound = 1 / fanIn.squareRoot()
            weight = Tensor.randomUniform(shape, low: -bound, high: bound, using: &generator)
        }
        weight.requiresGrad = true
        self.stride = stride
        self.padding = padding
    }

    /// x: (N, C, H, W) → (N, O, H', W')
    public func callAsFunction(_ x: Tensor) -> Tensor {
        Tensor.conv2d(x, weight: weight, stride: stride, padding: padding, precision: precision)
    }
}
