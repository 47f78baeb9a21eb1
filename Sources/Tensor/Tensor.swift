/// An n-dimensional array of `Float`s that can record the ops applied to it for
/// reverse-mode differentiation.
///
/// Tensors are immutable values as far as ops are concerned: every op returns a new
/// tensor. Parameters and running statistics are updated in place only through
/// `withUnsafeMutableScalars` (the optimiser's and batch norm's job).
public final class Tensor {
    /// Logical shape; `[]` is a scalar. Images are `[N, C, H, W]` whatever the layout.
    public let shape: [Int]
    /// Physical order of the elements; see `Layout`.
    public let layout: Layout
    /// The buffer; reshaped tensors share it.
    let storage: Storage
    /// Whether `backward()` should compute a gradient for this tensor.
    public var requiresGrad: Bool
    /// Gradient accumulated by `backward()` (leaves only), in this tensor's layout.
    public var grad: Tensor?
    /// How this tensor was computed, when it was computed under recording from tensors needing gradients.
    var gradFn: GradFn?

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }
    /// Number of dimensions.
    public var rank: Int { shape.count }

    init(shape: [Int], layout: Layout = .standard, storage: Storage, requiresGrad: Bool = false) {
        self.shape = shape
        self.layout = layout
        self.storage = storage
        self.requiresGrad = requiresGrad
    }

    /// A tensor with unspecified contents, to be filled by a kernel.
    convenience init(uninitializedShape shape: [Int], layout: Layout = .standard) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        self.init(shape: shape, layout: layout, storage: Storage(count: shape.reduce(1, *), zeroed: false))
    }

    /// A tensor of `shape` filled with `scalars` in row-major order.
    public convenience init(shape: [Int], scalars: [Float], requiresGrad: Bool = false) {
        precondition(shape.reduce(1, *) == scalars.count,
                     "Tensor: \(scalars.count) scalars do not fill shape \(shape)")
        self.init(uninitializedShape: shape)
        scalars.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: scalars.count) }
        self.requiresGrad = requiresGrad
    }

    /// A 0-dimensional tensor holding `value`.
    public convenience init(_ value: Float, requiresGrad: Bool = false) {
        self.init(shape: [], scalars: [value], requiresGrad: requiresGrad)
    }

    /// A tensor of `shape` with every element equal to `value`.
    public static func full(_ shape: [Int], _ value: Float, layout: Layout = .standard) -> Tensor {
        let t = Tensor(uninitializedShape: shape, layout: layout)
        t.storage.pointer.update(repeating: value, count: t.count)
        return t
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int], layout: Layout = .standard) -> Tensor { full(shape, 0, layout: layout) }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { full(shape, 1) }

    /// The elements in logical row-major order (a copy).
    public var scalars: [Float] {
        let t = layout == .standard ? self : Tensor.withoutRecording { self.standardized() }
        return Array(UnsafeBufferPointer(start: t.storage.pointer, count: t.count))
    }

    /// The single value of a one-element tensor.
    public func item() -> Float {
        precondition(count == 1, "Tensor.item: tensor of shape \(shape) has \(count) elements")
        return storage.pointer[0]
    }

    /// Read access to the physical buffer (logical row-major order when `layout == .standard`).
    public func withUnsafeScalars<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// In-place write access to the physical buffer, for optimisers and running statistics.
    /// It bypasses autograd: never use it on a tensor a recorded op still needs.
    public func withUnsafeMutableScalars<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// A tensor sharing this one's values but cut off from the graph (no gradient flows back).
    public func detached() -> Tensor {
        Tensor(shape: shape, layout: layout, storage: storage)
    }

    /// A fresh copy of the values, with its own storage and no graph.
    public func copy() -> Tensor {
        let t = Tensor(uninitializedShape: shape, layout: layout)
        t.storage.pointer.update(from: storage.pointer, count: count)
        return t
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), layout: \(layout), [\(values)\(count > 8 ? ", …" : "")])"
    }
}
