import Tensor

/// BCE3S's per-class memory M `[K, p]` for the contrastive term: not trained; after every
/// step row yᵢ is overwritten with the projection of the unmixed sample i (the last occurrence
/// of a class in the batch wins). Rows never written stay zero, so their cosine is 0.
public final class ClassMemory {
    /// `[K, p]`, checkpoint name `feat_memory` (the authors' buffer).
    public let rows: Tensor

    public init(classCount k: Int, dimension p: Int) {
        rows = Tensor.zeros([k, p])
    }

    /// Overwrites row `labels[i]` with `projections[i]` for i in order (detached values).
    public func overwrite(with projections: Tensor, labels: [Int]) {
        let p = rows.shape[1]
        precondition(projections.shape == [labels.count, p],
                     "ClassMemory: projections \(projections.shape) for \(labels.count) labels and width \(p)")
        let values = projections.scalars
        rows.withUnsafeMutableScalars { memory in
            for (i, y) in labels.enumerated() {
                for j in 0..<p { memory[y * p + j] = values[i * p + j] }
            }
        }
    }

    /// cos(projection_i, M_k) / τ, `[N, K]`; differentiable in `projections` only.
    public func cosineLogits(_ projections: Tensor, temperature: Float) -> Tensor {
        let eps = NormalizedHead.normEpsilon
        let memory = rows.copy().l2NormalizedRows(eps: eps)
        return Tensor.matmul(projections.l2NormalizedRows(eps: eps), memory.transposed()) / temperature
    }
}
