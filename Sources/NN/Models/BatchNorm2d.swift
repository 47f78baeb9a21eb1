import Tensor

/// Batch normalisation over channels, as PyTorch's `nn.BatchNorm2d` (momentum 0.1, eps 1e-5,
/// weight 1, bias 0, running mean 0, running variance 1).
public final class BatchNorm2d {
    public let weight: Tensor
    public let bias: Tensor
    public let runningMean: Tensor
    public let runningVariance: Tensor
    /// Training-mode forward passes so far (PyTorch's `num_batches_tracked`).
    public var batchesTracked: Int64 = 0
    public let momentum: Float = 0.1
    public let eps: Float = 1e-5

    public init(_ channels: Int) {
        weight = Tensor.ones([channels])
        bias = Tensor.zeros([channels])
        runningMean = Tensor.zeros([channels])
        runningVariance = Tensor.ones([channels])
        weight.requiresGrad = true
        bias.requiresGrad = true
    }

    /// Normalises x: (N, C, H, W) with batch statistics when `training` (updating the running
    /// ones) or the running statistics otherwise; `relu` fuses the ReLU that follows.
    public func callAsFunction(_ x: Tensor, training: Bool, relu: Bool = false) -> Tensor {
        if training { batchesTracked += 1 }
        return Tensor.batchNorm(x, weight: weight, bias: bias, runningMean: runningMean, runningVariance: runningVariance,
                                training: training, momentum: momentum, eps: eps, relu: relu)
    }
}
