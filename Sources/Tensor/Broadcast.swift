/// NumPy-style broadcasting for the element-wise binary ops: shapes are aligned on the
/// right and a dimension of size 1 stretches to the other's size.
enum Broadcast {
    /// The shape of `a ⊙ b`, or a precondition failure naming both shapes.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int] {
        let rank = max(a.count, b.count)
        let pa = Array(repeating: 1, count: rank - a.count) + a
        let pb = Array(repeating: 1, count: rank - b.count) + b
        return (0..<rank).map { i in
            precondition(pa[i] == pb[i] || pa[i] == 1 || pb[i] == 1,
                         "Tensor: shapes \(a) and \(b) do not broadcast")
            return max(pa[i], pb[i])
        }
    }

    /// Row-major strides of `shape` seen inside `outShape`: 0 along broadcast dimensions.
    static func strides(of shape: [Int], in outShape: [Int]) -> [Int] {
        let padded = Array(repeating: 1, count: outShape.count - shape.count) + shape
        var strides = Array(repeating: 0, count: outShape.count)
        var step = 1
        for i in stride(from: outShape.count - 1, through: 0, by: -1) {
            strides[i] = padded[i] == 1 ? 0 : step
            step *= padded[i]
        }
        return strides
    }

    /// Calls `body(outIndex, aOffset, bOffset)` for every element of `outShape` in row-major order.
    @inline(__always)
    static func forEach(_ outShape: [Int], _ sa: [Int], _ sb: [Int], _ body: (Int, Int, Int) -> Void) {
        let total = outShape.reduce(1, *)
        if total == 0 { return }
        let rank = outShape.count
        if rank == 0 { body(0, 0, 0); return }
        let inner = outShape[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1]
        var index = Array(repeating: 0, count: rank)
        var (oa, ob, o) = (0, 0, 0)
        while o < total {
            for k in 0..<inner { body(o + k, oa + k * ia, ob + k * ib) }
            o += inner
            var d = rank - 2
            while d >= 0 {
                index[d] += 1
                oa += sa[d]; ob += sb[d]
                if index[d] < outShape[d] { break }
                oa -= sa[d] * outShape[d]; ob -= sb[d] * outShape[d]
                index[d] = 0
                d -= 1
            }
        }
    }

    /// Sums `grad` (standard layout, broadcast shape) down to `shape`: the gradient of a broadcast.
    static func reduce(_ grad: Tensor, to shape: [Int]) -> Tensor {
        if grad.shape == shape { return grad }
        let g = grad.standardized()
        let out = Tensor.zeros(shape)
        let so = strides(of: shape, in: g.shape)
        let (src, dst) = (g.storage.pointer, out.storage.pointer)
        forEach(g.shape, so, so) { i, o, _ in dst[o] += src[i] }
        return out
    }
}
