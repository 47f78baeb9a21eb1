import Tensor

/// The two-convolution residual block of CIFAR ResNets:
/// relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)).
public final class BasicBlock {
    /// What the block adds back when its output shape differs from its input's.
    public enum Shortcut {
        /// The input itself (same shape).
        case identity
        /// Option A (LDAM-DRW): subsample by 2 and zero-pad channels; no parameters.
        case optionA(outChannels: Int)
        /// torchvision: 1×1 convolution with the block's stride, then batch norm (`downsample.0/1`).
        case projection(Conv2d, BatchNorm2d)
    }

    public let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d
    public let shortcut: Shortcut

    init(_ inChannels: Int, _ outChannels: Int, stride: Int, projection: Bool,
         initialization: Conv2d.Initialization, generator: inout SeededGenerator) {
        conv1 = Conv2d(inChannels, outChannels, kernel: 3, stride: stride, padding: 1, initialization: initialization,
                       generator: &generator)
        bn1 = BatchNorm2d(outChannels)
        conv2 = Conv2d(outChannels, outChannels, kernel: 3, stride: 1, padding: 1, initialization: initialization,
                       generator: &generator)
        bn2 = BatchNorm2d(outChannels)
        if stride == 1 && inChannels == outChannels {
            shortcut = .identity
        } else if projection {
            shortcut = .projection(Conv2d(inChannels, outChannels, kernel: 1, stride: stride, initialization: initialization,
                                          generator: &generator), BatchNorm2d(outChannels))
        } else {
            precondition(stride == 2, "BasicBlock: option-A shortcut needs stride 2, got \(stride)")
            shortcut = .optionA(outChannels: outChannels)
        }
    }

    /// x: (N, C, H, W) → (N, O, H/stride, W/stride)
    public func callAsFunction(_ x: Tensor, training: Bool) -> Tensor {
        let out = bn2(conv2(bn1(conv1(x), training: training, relu: true)), training: training)
        let skip: Tensor
        switch shortcut {
        case .identity: skip = x
        case .optionA(let channels): skip = x.shortcutA(outChannels: channels)
        case .projection(let conv, let bn): skip = bn(conv(x), training: training)
        }
        return Tensor.reluOfSum(out, skip)
    }

    /// The block's layers under their PyTorch names relative to the block (`conv1.`, …, `downsample.1.`).
    var layers: [(prefix: String, layer: ResNetLayer)] {
        var list: [(prefix: String, layer: ResNetLayer)] = [("conv1.", .conv(conv1)), ("bn1.", .batchNorm(bn1)),
                                                            ("conv2.", .conv(conv2)), ("bn2.", .batchNorm(bn2))]
        if case .projection(let conv, let bn) = shortcut {
            list += [("downsample.0.", .conv(conv)), ("downsample.1.", .batchNorm(bn))]
        }
        return list
    }
}
