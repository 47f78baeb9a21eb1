import Tensor

/// The eval-mode forward of a bf16 ResNet as a chain of fused convolutions on bfloat16
/// activations (`BFloat16Activation.convolved`): every batch norm is folded into the
/// convolution before it, and the ReLU and the residual sum run as that convolution's
/// post-ops. It computes what the layer-by-layer eval forward computes, with each layer's
/// output rounded to bfloat16 once instead of kept in float32, and reads and writes half the
/// memory: no batch-norm, add or rounding passes between the convolutions.
extension ResNet {
    /// images: (N, 3, H, W) → the last stage's activations (N, C, H', W'), running statistics
    /// in every batch norm. Reads the weights as they are now, so it is always current.
    func bfloat16InferenceActivations(_ images: Tensor) -> BFloat16Activation {
        var x = BFloat16Activation(rounding: images).convolved(folding: bn1, into: conv1, relu: true)
        for stage in stages { for block in stage { x = block.bfloat16Inference(x) } }
        return x
    }
}

extension BasicBlock {
    /// relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)) in eval mode, on bfloat16 activations.
    func bfloat16Inference(_ x: BFloat16Activation) -> BFloat16Activation {
        let skip: BFloat16Activation
        switch shortcut {
        case .identity: skip = x
        case .optionA(let channels):
            // Every second pixel, channels zero-padded on both sides: a 1×1 stride-2 convolution
            // with 0/1 weights, exact in bfloat16.
            skip = x.convolved(weight: Self.optionASelection(inChannels: x.shape[1], outChannels: channels),
                               bias: Tensor.zeros([channels]), stride: 2, relu: false)
        case .projection(let conv, let bn): skip = x.convolved(folding: bn, into: conv, relu: false)
        }
        return x.convolved(folding: bn1, into: conv1, relu: true).convolved(folding: bn2, into: conv2, adding: skip, relu: true)
    }

    /// (outChannels, inChannels, 1, 1) weights that copy input channel c to output channel
    /// c + (outChannels − inChannels) / 2 and leave the rest zero.
    static func optionASelection(inChannels: Int, outChannels: Int) -> Tensor {
        let pad = (outChannels - inChannels) / 2
        var weights = [Float](repeating: 0, count: outChannels * inChannels)
        for c in 0..<inChannels { weights[(c + pad) * inChannels + c] = 1 }
        return Tensor(shape: [outChannels, inChannels, 1, 1], scalars: weights)
    }
}

extension BatchNorm2d {
    /// The eval-mode batch norm as y = scale·x + shift per channel:
    /// scale = weight / √(running variance + eps), shift = bias − scale · running mean.
    func inferenceScaleAndShift() -> (scale: [Float], shift: [Float]) {
        let (gamma, beta, mean, variance) = (weight.scalars, bias.scalars, runningMean.scalars, runningVariance.scalars)
        let scale = zip(gamma, variance).map { $0 / ($1 + eps).squareRoot() }
        return (scale, (0..<scale.count).map { beta[$0] - scale[$0] * mean[$0] })
    }
}

extension BFloat16Activation {
    /// `bn(conv(self))` in eval mode with bn folded into conv's weights and a bias, then the
    /// residual sum and ReLU, as one fused bf16 convolution.
    func convolved(folding bn: BatchNorm2d, into conv: Conv2d, adding residual: BFloat16Activation? = nil,
                   relu: Bool) -> BFloat16Activation {
        let (scale, shift) = bn.inferenceScaleAndShift()
        let w = conv.weight.scalars
        let perOutput = w.count / scale.count
        let folded = Tensor(shape: conv.weight.shape, scalars: w.indices.map { w[$0] * scale[$0 / perOutput] })
        return convolved(weight: folded, bias: Tensor(shape: [shift.count], scalars: shift), stride: conv.stride,
                         padding: conv.padding, adding: residual, relu: relu)
    }
}
