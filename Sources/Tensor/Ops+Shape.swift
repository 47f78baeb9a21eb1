/// Reshaping, 2-D transpose, and concatenating / slicing along the batch axis (axis 0).
extension Tensor {
    /// The same elements with a new shape (equal count); shares storage. One dimension may be −1.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var newShape = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != unknown }.map(\.element).reduce(1, *)
            newShape[unknown] = known == 0 ? 0 : count / known
        }
        precondition(newShape.reduce(1, *) == count, "Tensor.reshaped: cannot view shape \(shape) as \(newShape)")
        let x = standardized()
        let out = Tensor(shape: newShape, storage: x.storage)
        return record(out, inputs: [x]) { g, _ in [g.standardized().reshaped(x.shape)] }
    }

    /// Flattens everything after the batch axis: `[N, …] → [N, rest]`.
    public func flattenedRows() -> Tensor { reshaped([shape[0], -1]) }

    /// The transpose of a 2-D tensor.
    public func transposed() -> Tensor {
        precondition(rank == 2, "Tensor.transposed: expected a 2-D tensor, got shape \(shape)")
        let x = standardized()
        let (r, c) = (shape[0], shape[1])
        let out = Tensor(uninitializedShape: [c, r])
        let (src, dst) = (x.storage.pointer, out.storage.pointer)
        for i in 0..<r { for j in 0..<c { dst[j * r + i] = src[i * c + j] } }
        return record(out, inputs: [x]) { g, _ in [g.transposed()] }
    }

    /// Stacks tensors along axis 0; all other dimensions must agree.
    public static func concat(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty, "Tensor.concat: no tensors")
        let tail = Array(parts[0].shape.dropFirst())
        for p in parts {
            precondition(p.rank >= 1 && Array(p.shape.dropFirst()) == tail,
                         "Tensor.concat: shape \(p.shape) does not match [_, \(tail)]")
        }
        let standard = parts.map { $0.standardized() }
        let rows = standard.map { $0.shape[0] }
        let out = Tensor(uninitializedShape: [rows.reduce(0, +)] + tail)
        var offset = 0
        for p in standard {
            (out.storage.pointer + offset).update(from: p.storage.pointer, count: p.count)
            offset += p.count
        }
        return record(out, inputs: standard) { g, _ in
            var start = 0
            return rows.map { n in
                defer { start += n }
                return g.slice(rows: start..<(start + n))
            }
        }
    }

    /// Rows `range` of axis 0 (a copy).
    public func slice(rows range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "Tensor.slice: rows \(range) out of bounds for shape \(shape)")
        let x = standardized()
        let rowSize = shape.dropFirst().reduce(1, *)
        var outShape = shape
        outShape[0] = range.count
        let out = Tensor(uninitializedShape: outShape)
        out.storage.pointer.update(from: x.storage.pointer + range.lowerBound * rowSize, count: out.count)
        return record(out, inputs: [x]) { g, _ in
            let gx = Tensor.zeros(x.shape)
            (gx.storage.pointer + range.lowerBound * rowSize).update(from: g.standardized().storage.pointer, count: g.count)
            return [gx]
        }
    }

    /// Splits axis 0 into consecutive pieces of the given sizes (they must add up to `shape[0]`).
    public func split(rows sizes: [Int]) -> [Tensor] {
        precondition(sizes.reduce(0, +) == shape[0], "Tensor.split: sizes \(sizes) do not add up to \(shape[0])")
        var start = 0
        return sizes.map { n in
            defer { start += n }
            return slice(rows: start..<(start + n))
        }
    }
}
