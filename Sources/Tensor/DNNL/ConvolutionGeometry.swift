import CDNNL

/// The output size and oneDNN stride and paddings of a convolution whose output size is
/// PyTorch's floor division, `(H + 2p − K) / s + 1`.
struct ConvolutionGeometry {
    /// (N, O, OH, OW).
    let outputDims: [Int]
    let stride: [dnnl_dim_t], padLeft: [dnnl_dim_t], padRight: [dnnl_dim_t]

    /// input: (N, C, H, W); weight: (O, C, K, K).
    init(input: [Int], weight: [Int], stride s: Int, padding p: Int) {
        let (h, w, k) = (input[2], input[3], weight[2])
        let (oh, ow) = ((h + 2 * p - k) / s + 1, (w + 2 * p - k) / s + 1)
        outputDims = [input[0], weight[0], oh, ow]
        stride = [dnnl_dim_t(s), dnnl_dim_t(s)]
        padLeft = [dnnl_dim_t(p), dnnl_dim_t(p)]
        // Right padding that makes oneDNN's output size equal PyTorch's floor division.
        padRight = [dnnl_dim_t((oh - 1) * s + k - h - p), dnnl_dim_t((ow - 1) * s + k - w - p)]
    }
}
