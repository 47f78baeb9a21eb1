/// Sums and means, over everything or along one axis.
extension Tensor {
    /// Sum of all elements, as a scalar tensor.
    public func sum() -> Tensor {
        var total: Float = 0
        withUnsafeScalars { for v in $0 { total += v } }
        return record(Tensor(total), inputs: [self]) { g, _ in [Tensor.full(self.shape, g.item(), layout: self.layout)] }
    }

    /// Mean of all elements, as a scalar tensor.
    public func mean() -> Tensor { sum() / Float(Swift.max(count, 1)) }

    /// Sum along `axis` (negative counts from the end); the axis is dropped unless `keepingDimension`.
    public func sum(axis: Int, keepingDimension: Bool = false) -> Tensor {
        let x = standardized()
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "Tensor.sum: axis \(axis) out of range for shape \(shape)")
        let outer = shape[..<a].reduce(1, *), length = shape[a], inner = shape[(a + 1)...].reduce(1, *)
        var kept = shape
        kept[a] = 1
        let out = Tensor.zeros(kept)
        let (src, dst) = (x.storage.pointer, out.storage.pointer)
        for o in 0..<outer {
            for l in 0..<length {
                let row = (o * length + l) * inner
                for i in 0..<inner { dst[o * inner + i] += src[row + i] }
            }
        }
        let summed = record(out, inputs: [x]) { g, _ in [Broadcast.expand(g, to: x.shape)] }
        if keepingDimension { return summed }
        var dropped = shape
        dropped.remove(at: a)
        return summed.reshaped(dropped)
    }

    /// Mean along `axis`; the axis is dropped unless `keepingDimension`.
    public func mean(axis: Int, keepingDimension: Bool = false) -> Tensor {
        let a = axis < 0 ? axis + rank : axis
        return sum(axis: axis, keepingDimension: keepingDimension) / Float(Swift.max(shape[a], 1))
    }
}

extension Broadcast {
    /// `g` repeated along its size-1 dimensions up to `shape` (standard layout, no recording).
    static func expand(_ g: Tensor, to shape: [Int]) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let g = g.standardized()
        let (src, dst) = (g.storage.pointer, out.storage.pointer)
        let s = strides(of: g.shape, in: shape)
        forEach(shape, s, s) { o, i, _ in dst[o] = src[i] }
        return out
    }
}
