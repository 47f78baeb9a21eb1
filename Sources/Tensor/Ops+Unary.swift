import Foundation

/// Element-wise functions, each with its derivative. They keep shape and layout.
extension Tensor {
    /// `f` applied element-wise, with backward `g ⊙ derivative(x, f(x))`.
    private func unary(_ f: (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Tensor {
        let x = self
        return record(Tensor.map(x, f), inputs: [x]) { g, y in
            let gx = Tensor(uninitializedShape: x.shape, layout: x.layout)
            let g = g.converted(to: x.layout)
            let (gp, xp, yp, out) = (g.storage.pointer, x.storage.pointer, y.storage.pointer, gx.storage.pointer)
            for i in 0..<x.count { out[i] = gp[i] * derivative(xp[i], yp[i]) }
            return [gx]
        }
    }

    /// eˣ.
    public func exp() -> Tensor { unary(Foundation.exp) { _, y in y } }

    /// Natural logarithm (−inf at 0, NaN below).
    public func log() -> Tensor { unary(Foundation.log) { x, _ in 1 / x } }

    /// √x.
    public func sqrt() -> Tensor { unary(Foundation.sqrt) { _, y in 0.5 / y } }

    /// x².
    public func squared() -> Tensor { unary({ $0 * $0 }) { x, _ in 2 * x } }

    /// log(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|) so it never overflows.
    public func softplus() -> Tensor { unary(Tensor.softplus) { x, _ in Tensor.sigmoid(x) } }

    /// 1 / (1 + e^−x), computed without overflow for large |x|.
    public func sigmoid() -> Tensor { unary(Tensor.sigmoid) { _, y in y * (1 - y) } }

    /// max(x, 0); the gradient is 0 for x ≤ 0. Activations (rank 4) go through oneDNN.
    public func relu() -> Tensor { rank == 4 ? dnnlReLU() : referenceReLU() }

    /// ReLU as a plain element-wise loop: the kernel for small tensors and the oracle for `dnnlReLU`.
    func referenceReLU() -> Tensor { unary({ max($0, 0) }) { x, _ in x > 0 ? 1 : 0 } }

    /// x limited to [lower, upper]; the gradient is 0 outside the interval and 1 inside
    /// (boundaries included, as in PyTorch).
    public func clamped(min lower: Float, max upper: Float) -> Tensor {
        precondition(lower <= upper, "Tensor.clamped: min \(lower) > max \(upper)")
        return unary({ Swift.min(Swift.max($0, lower), upper) }) { x, _ in x >= lower && x <= upper ? 1 : 0 }
    }

    @inline(__always) static func softplus(_ x: Float) -> Float { Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-abs(x))) }

    @inline(__always) static func sigmoid(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }
}
