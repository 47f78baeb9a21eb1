import CBLAS

/// Matrix products through OpenBLAS `sgemm`.
extension Tensor {
    /// `C = op(A) · op(B)` for row-major standard tensors, written into a new `[M, N]` tensor.
    static func gemm(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool) -> Tensor {
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(k == kb, "Tensor.matmul: inner dimensions differ (\(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : ""))")
        let out = Tensor(uninitializedShape: [m, n])
        if m * n == 0 { return out }
        if k == 0 { out.storage.pointer.update(repeating: 0, count: m * n); return out }
        OpProfile.measure("sgemm (OpenBLAS)") {
            cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), 1, a.storage.pointer, Int32(a.shape[1]),
                        b.storage.pointer, Int32(b.shape[1]), 0, out.storage.pointer, Int32(n))
        }
        return out
    }

    /// Matrix product of `[M, K]` and `[K, N]`.
    public static func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "Tensor.matmul: expected 2-D tensors, got \(a.shape) and \(b.shape)")
        let (a, b) = (a.standardized(), b.standardized())
        return record(gemm(a, transposeA: false, b, transposeB: false), inputs: [a, b]) { g, _ in
            let g = g.standardized()
            return [a.requiresGrad ? gemm(g, transposeA: false, b, transposeB: true) : nil,
                    b.requiresGrad ? gemm(a, transposeA: true, g, transposeB: false) : nil]
        }
    }

    /// A fully connected layer: `x[N, D] · Wᵀ + b` with `W[K, D]` and optional `b[K]`, as PyTorch's `linear`.
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
        precondition(x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1],
                     "Tensor.linear: input \(x.shape) does not match weight \(weight.shape) ([K, D])")
        let (x, w) = (x.standardized(), weight.standardized())
        let product = record(gemm(x, transposeA: false, w, transposeB: true), inputs: [x, w]) { g, _ in
            let g = g.standardized()
            return [x.requiresGrad ? gemm(g, transposeA: false, w, transposeB: false) : nil,
                    w.requiresGrad ? gemm(g, transposeA: true, x, transposeB: false) : nil]
        }
        guard let bias else { return product }
        precondition(bias.shape == [weight.shape[0]], "Tensor.linear: bias \(bias.shape) does not match weight \(weight.shape)")
        return product + bias
    }
}
