import CDNNL

/// A 4-D activation (N, C, H, W) held as bfloat16, two values per `Float` slot of its storage,
/// in a `Layout` like a `Tensor`'s.
///
/// It carries what a bf16 layer hands the next without a float32 round trip: a convolution's
/// rounded operand (`ConvolutionPlan` in bf16) and the activations of the bf16 inference chain
/// (`convolved(weight:bias:stride:padding:adding:relu:)`). It records no gradients.
public struct BFloat16Activation {
    public let shape: [Int]
    public let layout: Layout
    /// The bfloat16 values, `⌈count / 2⌉` floats' worth.
    let storage: Storage

    /// Number of values.
    public var count: Int { shape.reduce(1, *) }

    var pointer: UnsafeMutableRawPointer { UnsafeMutableRawPointer(storage.pointer) }

    /// oneDNN's description of this memory.
    var descriptor: dnnl_memory_desc_t { Dnnl.descriptor(shape, Dnnl.tag(layout, rank: 4), dnnl_bf16) }

    /// An activation of `shape` in `layout` with unspecified values.
    init(uninitializedShape shape: [Int], layout: Layout) {
        precondition(shape.count == 4 && layout.supports(shape), "BFloat16Activation: layout \(layout) cannot hold shape \(shape)")
        self.shape = shape
        self.layout = layout
        storage = Storage(count: (shape.reduce(1, *) + 1) / 2, zeroed: false)
    }

    /// `tensor` (4-D, float32) rounded to bfloat16, to nearest even, in the same layout.
    public init(rounding tensor: Tensor) {
        precondition(tensor.rank == 4, "BFloat16Activation: expected an (N, C, H, W) tensor, got shape \(tensor.shape)")
        self.init(uninitializedShape: tensor.shape, layout: tensor.layout)
        Dnnl.reorder(from: Dnnl.descriptor(tensor), tensor.storage.pointer, to: descriptor, pointer)
    }

    /// The values as a float32 tensor (exact: every bfloat16 is a float32), same shape and layout.
    public func float32() -> Tensor {
        let tensor = Tensor(uninitializedShape: shape, layout: layout)
        Dnnl.reorder(from: descriptor, pointer, to: Dnnl.descriptor(tensor), tensor.storage.pointer)
        return tensor
    }
}
