/// Batch normalisation over (N, H, W) per channel, as PyTorch's `BatchNorm2d`.
extension Tensor {
    /// y = (x − μ) / √(σ² + eps) · weight + bias, optionally followed by ReLU (fused in oneDNN).
    ///
    /// x: (N, C, H, W) in any layout → same shape and layout; weight, bias, running statistics: (C).
    /// - `training: true` normalises with the batch's mean and biased variance and updates the
    ///   running statistics in place as PyTorch does: `r ← (1 − momentum)·r + momentum·batch`,
    ///   with the unbiased variance (× n/(n−1), n = N·H·W) for `runningVariance`.
    /// - `training: false` normalises with the running statistics and leaves them alone.
    public static func batchNorm(_ x: Tensor, weight: Tensor, bias: Tensor, runningMean: Tensor, runningVariance: Tensor,
                                 training: Bool, momentum: Float = 0.1, eps: Float = 1e-5, relu: Bool = false) -> Tensor {
        let c = x.shape.count == 4 ? x.shape[1] : -1
        precondition(c > 0 && [weight, bias, runningMean, runningVariance].allSatisfy { $0.shape == [c] && $0.layout == .standard },
                     "Tensor.batchNorm: input \(x.shape) needs weight, bias and running statistics of shape [\(c)]")
        let n = x.shape[0] * x.shape[2] * x.shape[3]
        precondition(!training || n > 1, "Tensor.batchNorm: training needs more than one value per channel, got input \(x.shape)")
        let recording = isRecording && [x, weight, bias].contains { $0.requiresGrad }
        let plan = BatchNormPlan.plan(x: x, batchStatistics: training, relu: relu, recording: recording, eps: eps)
        let workspace = recording ? plan.makeWorkspace() : (relu ? plan.makeWorkspace() : nil)
        let (mean, variance): (Storage, Storage)
        if training {
            (mean, variance) = (Storage(count: c, zeroed: false), Storage(count: c, zeroed: false))
        } else {
            (mean, variance) = (runningMean.storage, runningVariance.storage)
        }
        let y = plan.run(x, scale: weight, shift: bias, mean: mean, variance: variance, workspace: workspace)
        if training {
            let unbias = Float(n) / Float(n - 1)
            let (rm, rv) = (runningMean.storage.pointer, runningVariance.storage.pointer)
            for i in 0..<c {
                rm[i] = (1 - momentum) * rm[i] + momentum * mean.pointer[i]
                rv[i] = (1 - momentum) * rv[i] + momentum * variance.pointer[i] * unbias
            }
        }
        // Eval mode must use the statistics as they were at this call, not after later updates.
        let (usedMean, usedVariance) = training ? (mean, variance) : (copyStorage(mean, c), copyStorage(variance, c))
        return record(y, inputs: [x, weight, bias]) { g, _ in
            let grads = plan.backward(g.converted(to: x.layout), x: x, scale: weight, shift: bias, mean: usedMean,
                                      variance: usedVariance, workspace: workspace)
            return [grads.x, grads.scale, grads.shift]
        }
    }

    private static func copyStorage(_ s: Storage, _ count: Int) -> Storage {
        let copy = Storage(count: count, zeroed: false)
        copy.pointer.update(from: s.pointer, count: count)
        return copy
    }
}
