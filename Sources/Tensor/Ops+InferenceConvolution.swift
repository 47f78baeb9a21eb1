/// The fused bf16 inference convolution (eval-mode ResNets in `Precision.bf16`).
extension BFloat16Activation {
    /// `relu?(conv(self, weight) + bias + residual)` in one oneDNN pass, bfloat16 in and out:
    /// weights rounded to bfloat16, float32 accumulation, the result rounded once. For inference
    /// only (no gradients): an eval-mode batch norm folds into `weight` and `bias`, and the
    /// activations between layers stay bfloat16, so no layer reads or writes float32.
    ///
    /// self: (N, C, H, W); weight: (O, C, K, K) OIHW float32; bias: (O);
    /// residual: the output's shape (N, O, (H+2p−K)/s+1, (W+2p−K)/s+1) in `Layout.activation(channels: O)`
    /// → that shape and layout.
    public func convolved(weight: Tensor, bias: Tensor, stride: Int = 1, padding: Int = 0,
                          adding residual: BFloat16Activation? = nil, relu: Bool) -> BFloat16Activation {
        precondition(weight.rank == 4 && weight.shape[1] == shape[1] && weight.shape[2] == weight.shape[3],
                     "BFloat16Activation.convolved: input \(shape) does not match weight \(weight.shape) ([O, C, K, K])")
        precondition(bias.shape == [weight.shape[0]], "BFloat16Activation.convolved: bias \(bias.shape) for \(weight.shape[0]) outputs")
        precondition(stride >= 1 && padding >= 0 && shape[2] + 2 * padding >= weight.shape[2],
                     "BFloat16Activation.convolved: stride \(stride), padding \(padding) invalid for input \(shape), kernel \(weight.shape[2])")
        let plan = InferenceConvolutionPlan.plan(x: self, weightShape: weight.shape, stride: stride, padding: padding,
                                                 residual: residual != nil, relu: relu)
        if let residual {
            precondition(residual.shape == plan.yDims && residual.layout == plan.yLayout,
                         "BFloat16Activation.convolved: residual \(residual.shape) \(residual.layout), output \(plan.yDims) \(plan.yLayout)")
        }
        return plan.run(self, weight: weight.standardized(), bias: bias.standardized(), residual: residual)
    }
}
