import Foundation

/// Naive, obviously-correct kernels on logical indices: the test oracles for the oneDNN
/// paths (never used in the hot path). Inputs may have any layout; outputs are `.standard`.
public enum Reference {
    /// A copy of `x` in `layout`, element by element.
    public static func relayout(_ x: Tensor, to layout: Layout) -> Tensor {
        let out = Tensor(uninitializedShape: x.shape, layout: layout)
        let (s, d, shape) = (x.storage.pointer, out.storage.pointer, x.shape)
        for n in 0..<shape[0] { for c in 0..<shape[1] { for h in 0..<shape[2] { for w in 0..<shape[3] {
            d[layout.offset(n, c, h, w, shape: shape)] = s[x.layout.offset(n, c, h, w, shape: shape)]
        } } } }
        return out
    }

    /// Direct convolution, zero padding, no bias.
    /// x: (N, C, H, W), weight: (O, C, K, K) → (N, O, (H+2p−K)/s+1, (W+2p−K)/s+1)
    public static func conv2d(_ x: Tensor, weight: Tensor, stride: Int, padding: Int) -> Tensor {
        let (xv, wv) = (x.scalars, weight.scalars)
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, k) = (weight.shape[0], weight.shape[2])
        let (oh, ow) = ((h + 2 * padding - k) / stride + 1, (w + 2 * padding - k) / stride + 1)
        var out = [Float](repeating: 0, count: n * o * oh * ow)
        for b in 0..<n { for f in 0..<o { for i in 0..<oh { for j in 0..<ow {
            var s: Float = 0
            for ch in 0..<c { for u in 0..<k { for v in 0..<k {
                let (y, z) = (i * stride - padding + u, j * stride - padding + v)
                if y >= 0 && y < h && z >= 0 && z < w {
                    s += xv[((b * c + ch) * h + y) * w + z] * wv[((f * c + ch) * k + u) * k + v]
                }
            } } }
            out[((b * o + f) * oh + i) * ow + j] = s
        } } } }
        return Tensor(shape: [n, o, oh, ow], scalars: out)
    }

    /// Batch-norm statistics per channel: mean and biased variance over (N, H, W).
    public static func channelStatistics(_ x: Tensor) -> (mean: [Float], variance: [Float]) {
        let v = x.scalars
        let (n, c, hw) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        var mean = [Float](repeating: 0, count: c), variance = [Float](repeating: 0, count: c)
        for ch in 0..<c {
            var s = 0.0, s2 = 0.0
            for b in 0..<n { for i in 0..<hw { let e = Double(v[(b * c + ch) * hw + i]); s += e; s2 += e * e } }
            let m = s / Double(n * hw)
            mean[ch] = Float(m)
            variance[ch] = Float(s2 / Double(n * hw) - m * m)
        }
        return (mean, variance)
    }

    /// y = (x − mean) / √(variance + eps) · weight + bias per channel, then ReLU when `relu`.
    public static func batchNorm(_ x: Tensor, mean: [Float], variance: [Float], weight: [Float], bias: [Float],
                                 eps: Float, relu: Bool) -> Tensor {
        var v = x.scalars
        let (c, hw) = (x.shape[1], x.shape[2] * x.shape[3])
        for i in 0..<v.count {
            let ch = (i / hw) % c
            let y = (v[i] - mean[ch]) / Foundation.sqrt(variance[ch] + eps) * weight[ch] + bias[ch]
            v[i] = relu ? max(y, 0) : y
        }
        return Tensor(shape: x.shape, scalars: v)
    }

    /// Average pooling with a k×k window and stride k. x: (N, C, H, W) → (N, C, H/k, W/k)
    public static func avgPool2d(_ x: Tensor, kernel k: Int) -> Tensor {
        let v = x.scalars
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (oh, ow) = (h / k, w / k)
        var out = [Float](repeating: 0, count: n * c * oh * ow)
        for p in 0..<(n * c) { for i in 0..<oh { for j in 0..<ow {
            var s: Float = 0
            for u in 0..<k { for z in 0..<k { s += v[(p * h + i * k + u) * w + j * k + z] } }
            out[(p * oh + i) * ow + j] = s / Float(k * k)
        } } }
        return Tensor(shape: [n, c, oh, ow], scalars: out)
    }
}
