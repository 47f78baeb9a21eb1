/// 2-D convolution through oneDNN (the naive `Reference.conv2d` is its test oracle).
extension Tensor {
    /// Convolution without bias, as PyTorch's `conv2d(x, weight, stride=stride, padding=padding)`,
    /// in `precision` (bf16: bfloat16 operands, float32 accumulation and results; see `Precision`).
    ///
    /// x: (N, C, H, W) in any layout, weight: (O, C, K, K) standard (OIHW)
    /// → (N, O, (H+2p−K)/s+1, (W+2p−K)/s+1) in `Layout.activation(channels: O)`.
    public static func conv2d(_ x: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0,
                              precision: Precision = .fp32) -> Tensor {
        precondition(x.rank == 4 && weight.rank == 4 && weight.shape[1] == x.shape[1] && weight.shape[2] == weight.shape[3],
                     "Tensor.conv2d: input \(x.shape) does not match weight \(weight.shape) ([O, C, K, K])")
        precondition(stride >= 1 && padding >= 0 && x.shape[2] + 2 * padding >= weight.shape[2],
                     "Tensor.conv2d: stride \(stride), padding \(padding) invalid for input \(x.shape), kernel \(weight.shape[2])")
        let w = weight.standardized()
        let training = isRecording && (x.requiresGrad || w.requiresGrad)
        let plan = ConvolutionPlan.plan(x: x, weight: w, stride: stride, padding: padding, training: training,
                                        precision: precision)
        let input = plan.operand(x)
        return record(plan.run(input, w), inputs: [x, w]) { g, _ in
            let g = plan.operand(g.converted(to: plan.yLayout))
            return [x.requiresGrad ? plan.backwardData(g, w) : nil,
                    w.requiresGrad ? plan.backwardWeights(input, g) : nil]
        }
    }
}
