import Foundation

/// Row-wise ops on 2-D tensors `[N, K]` (a row is a sample, a column a class or feature).
extension Tensor {
    private func requireMatrix(_ op: String) -> (Tensor, Int, Int) {
        precondition(rank == 2, "Tensor.\(op): expected a 2-D tensor [N, K], got shape \(shape)")
        return (standardized(), shape[0], shape[1])
    }

    /// Each row divided by max(‖row‖₂, eps), as PyTorch's `F.normalize(x, dim=1, eps=eps)`.
    public func l2NormalizedRows(eps: Float = 1e-12) -> Tensor {
        let (x, n, k) = requireMatrix("l2NormalizedRows")
        let out = Tensor(uninitializedShape: shape)
        var norms = [Float](repeating: 0, count: n)
        let (src, dst) = (x.storage.pointer, out.storage.pointer)
        for i in 0..<n {
            var s: Float = 0
            for j in 0..<k { s += src[i * k + j] * src[i * k + j] }
            norms[i] = Swift.max(Foundation.sqrt(s), eps)
            for j in 0..<k { dst[i * k + j] = src[i * k + j] / norms[i] }
        }
        return record(out, inputs: [x]) { g, y in
            // Inside the clamp ŷ = x/‖x‖, so dx = (g − ŷ(ŷ·g)) / ‖x‖; at the clamp the norm is the constant eps.
            let g = g.standardized()
            let gx = Tensor(uninitializedShape: [n, k])
            let (gp, yp, out) = (g.storage.pointer, y.storage.pointer, gx.storage.pointer)
            for i in 0..<n {
                var dot: Float = 0
                if norms[i] > eps { for j in 0..<k { dot += yp[i * k + j] * gp[i * k + j] } }
                for j in 0..<k { out[i * k + j] = (gp[i * k + j] - yp[i * k + j] * dot) / norms[i] }
            }
            return [gx]
        }
    }

    /// log softmax along each row (over the K classes), stable for large logits.
    public func logSoftmax() -> Tensor {
        let (x, n, k) = requireMatrix("logSoftmax")
        let out = Tensor(uninitializedShape: shape)
        let (src, dst) = (x.storage.pointer, out.storage.pointer)
        for i in 0..<n {
            var top = -Float.infinity
            for j in 0..<k { top = Swift.max(top, src[i * k + j]) }
            var s: Float = 0
            for j in 0..<k { s += Foundation.exp(src[i * k + j] - top) }
            let logZ = top + Foundation.log(s)
            for j in 0..<k { dst[i * k + j] = src[i * k + j] - logZ }
        }
        return record(out, inputs: [x]) { g, y in
            // dx = g − softmax · Σ_j g_j
            let g = g.standardized()
            let gx = Tensor(uninitializedShape: [n, k])
            let (gp, yp, out) = (g.storage.pointer, y.storage.pointer, gx.storage.pointer)
            for i in 0..<n {
                var s: Float = 0
                for j in 0..<k { s += gp[i * k + j] }
                for j in 0..<k { out[i * k + j] = gp[i * k + j] - Foundation.exp(yp[i * k + j]) * s }
            }
            return [gx]
        }
    }

    /// softmax along each row.
    public func softmax() -> Tensor { logSoftmax().exp() }

    /// `out[i] = self[i, labels[i]]`: one entry per row, e.g. the true-class log-probability.
    public func gather(labels: [Int]) -> Tensor {
        let (x, n, k) = requireMatrix("gather")
        precondition(labels.count == n, "Tensor.gather: \(labels.count) labels for \(n) rows")
        precondition(labels.allSatisfy { $0 >= 0 && $0 < k }, "Tensor.gather: a label is outside 0..<\(k)")
        let src = x.storage.pointer
        let out = Tensor(shape: [n], scalars: (0..<n).map { src[$0 * k + labels[$0]] })
        return record(out, inputs: [x]) { g, _ in
            let gx = Tensor.zeros([n, k])
            let (gp, dst) = (g.standardized().storage.pointer, gx.storage.pointer)
            for i in 0..<n { dst[i * k + labels[i]] = gp[i] }
            return [gx]
        }
    }

    /// Rows `indices` of a 2-D tensor, in that order (repeats allowed); the gradient scatter-adds back.
    public func rows(at indices: [Int]) -> Tensor {
        let (x, n, k) = requireMatrix("rows(at:)")
        precondition(indices.allSatisfy { $0 >= 0 && $0 < n }, "Tensor.rows(at:): an index is outside 0..<\(n)")
        let out = Tensor(uninitializedShape: [indices.count, k])
        let (src, dst) = (x.storage.pointer, out.storage.pointer)
        for (r, i) in indices.enumerated() { (dst + r * k).update(from: src + i * k, count: k) }
        return record(out, inputs: [x]) { g, _ in
            let gx = Tensor.zeros([n, k])
            let (gp, acc) = (g.standardized().storage.pointer, gx.storage.pointer)
            for (r, i) in indices.enumerated() { for j in 0..<k { acc[i * k + j] += gp[r * k + j] } }
            return [gx]
        }
    }

    /// A constant `[N, classes]` matrix with 1 at `(i, labels[i])` and 0 elsewhere.
    public static func oneHot(labels: [Int], classes: Int) -> Tensor {
        precondition(labels.allSatisfy { $0 >= 0 && $0 < classes }, "Tensor.oneHot: a label is outside 0..<\(classes)")
        let out = Tensor.zeros([labels.count, classes])
        for (i, y) in labels.enumerated() { out.storage.pointer[i * classes + y] = 1 }
        return out
    }
}
