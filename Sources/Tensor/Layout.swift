/// How a tensor's elements sit in memory. The *logical* order is always row-major over
/// `shape` (NCHW for images); a layout only changes the physical order, and every op
/// hides it: `scalars` and all 2-D ops see the logical order.
public enum Layout: Equatable, Sendable {
    /// Row-major over the shape (NCHW for 4-D tensors). Every tensor can have it.
    case standard
    /// 4-D only: N, H, W, C ("channels last").
    case channelsLast
    /// 4-D only, C a multiple of 16: N, C/16, H, W, 16 (oneDNN `nChw16c`).
    case blocked16

    /// Whether a tensor of `shape` can be stored in this layout.
    public func supports(_ shape: [Int]) -> Bool {
        switch self {
        case .standard: return true
        case .channelsLast: return shape.count == 4
        case .blocked16: return shape.count == 4 && shape[1] % 16 == 0
        }
    }

    /// The layout CNN ops give an activation with `channels` channels: oneDNN's blocked format
    /// when the channels fill whole blocks, channels-last otherwise.
    public static func activation(channels: Int) -> Layout {
        channels % 16 == 0 ? .blocked16 : .channelsLast
    }

    /// Physical offset of logical element (n, c, h, w) of a 4-D tensor with `shape`.
    @inline(__always)
    func offset(_ n: Int, _ c: Int, _ h: Int, _ w: Int, shape: [Int]) -> Int {
        let (C, H, W) = (shape[1], shape[2], shape[3])
        switch self {
        case .standard: return ((n * C + c) * H + h) * W + w
        case .channelsLast: return ((n * H + h) * W + w) * C + c
        case .blocked16: return (((n * (C / 16) + c / 16) * H + h) * W + w) * 16 + c % 16
        }
    }
}

extension Tensor {
    /// This tensor in `target` layout (the same tensor when it already is). Differentiable.
    public func converted(to target: Layout) -> Tensor {
        if layout == target { return self }
        precondition(target.supports(shape), "Tensor: layout \(target) cannot hold shape \(shape)")
        let out = Tensor(uninitializedShape: shape, layout: target)
        Tensor.relayout(from: self, into: out)
        return record(out, inputs: [self]) { grad, _ in [grad.converted(to: self.layout)] }
    }

    /// The same tensor in the standard (row-major) layout.
    public func standardized() -> Tensor { converted(to: .standard) }

    /// Copies `source` into `destination` (same shape), permuting between their layouts.
    static func relayout(from source: Tensor, into destination: Tensor) {
        let s = source.storage.pointer, d = destination.storage.pointer
        if source.layout == destination.layout {
            d.update(from: s, count: source.count)
            return
        }
        // Only 4-D tensors have non-standard layouts.
        Dnnl.reorder(from: Dnnl.descriptor(source), s, to: Dnnl.descriptor(destination), d)
    }
}
