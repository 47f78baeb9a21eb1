import CDNNL

/// oneDNN batch normalisation for one shape/layout and mode: forward (training with batch
/// statistics, or inference with given statistics), optional fused ReLU, and the backward pass.
final class BatchNormPlan {
    let dims: [Int]
    let layout: Layout
    let flags: UInt32
    let forward: Primitive
    private lazy var backwardPrimitive: Primitive = makeBackward()
    private let eps: Float

    static func plan(x: Tensor, batchStatistics: Bool, relu: Bool, recording: Bool, eps: Float) -> BatchNormPlan {
        let key = CacheKey("batchnorm", descriptors: [Dnnl.descriptor(x)],
                           numbers: [batchStatistics ? 1 : 0, relu ? 1 : 0, recording ? 1 : 0, Int(eps.bitPattern)])
        return Dnnl.cached(key) {
            BatchNormPlan(x: x, batchStatistics: batchStatistics, relu: relu, recording: recording, eps: eps)
        }
    }

    private init(x: Tensor, batchStatistics: Bool, relu: Bool, recording: Bool, eps: Float) {
        dims = x.shape
        layout = x.layout
        self.eps = eps
        var f = dnnl_use_scale.rawValue | dnnl_use_shift.rawValue
        if !batchStatistics { f |= dnnl_use_global_stats.rawValue }
        if relu { f |= dnnl_fuse_norm_relu.rawValue }
        flags = f
        var md = Dnnl.descriptor(x)
        var desc = dnnl_batch_normalization_desc_t()
        let prop = recording || batchStatistics ? dnnl_forward_training : dnnl_forward_inference
        Dnnl.check(dnnl_batch_normalization_forward_desc_init(&desc, prop, &md, eps, flags), "batch_normalization_forward_desc_init")
        forward = Primitive(descriptor: Dnnl.primitiveDescriptor(&desc))
    }

    private func makeBackward() -> Primitive {
        var md = Dnnl.descriptor(dims, Dnnl.tag(layout, rank: 4))
        var diff = md
        var desc = dnnl_batch_normalization_desc_t()
        Dnnl.check(dnnl_batch_normalization_backward_desc_init(&desc, dnnl_backward, &diff, &md, eps, flags),
                   "batch_normalization_backward_desc_init")
        return Primitive(descriptor: Dnnl.primitiveDescriptor(&desc, hint: forward))
    }

    var fusesReLU: Bool { flags & dnnl_fuse_norm_relu.rawValue != 0 }

    /// Workspace buffer for the fused ReLU mask (nil without fusion).
    func makeWorkspace() -> Storage? {
        fusesReLU ? Storage(count: forward.floatCount(for: DNNL_ARG_WORKSPACE), zeroed: false) : nil
    }

    /// Forward pass. `mean`/`variance` are outputs with batch statistics, inputs otherwise.
    func run(_ x: Tensor, scale: Tensor, shift: Tensor, mean: Storage, variance: Storage, workspace: Storage?) -> Tensor {
        let y = Tensor(uninitializedShape: dims, layout: layout)
        var args: [(Int32, UnsafeMutableRawPointer)] = [
            (DNNL_ARG_SRC, UnsafeMutableRawPointer(x.storage.pointer)), (DNNL_ARG_DST, UnsafeMutableRawPointer(y.storage.pointer)),
            (DNNL_ARG_SCALE, UnsafeMutableRawPointer(scale.storage.pointer)),
            (DNNL_ARG_SHIFT, UnsafeMutableRawPointer(shift.storage.pointer)),
            (DNNL_ARG_MEAN, UnsafeMutableRawPointer(mean.pointer)), (DNNL_ARG_VARIANCE, UnsafeMutableRawPointer(variance.pointer)),
        ]
        if let workspace { args.append((DNNL_ARG_WORKSPACE, UnsafeMutableRawPointer(workspace.pointer))) }
        forward.execute(args)
        return y
    }

    /// Gradients of x, scale and shift from dL/dy and what the forward pass used.
    /// (oneDNN 2.6 counts the shift among the backward inputs although the result does not depend on it.)
    func backward(_ gradY: Tensor, x: Tensor, scale: Tensor, shift: Tensor, mean: Storage, variance: Storage,
                  workspace: Storage?) -> (x: Tensor, scale: Tensor, shift: Tensor) {
        let channels = dims[1]
        let (gx, gScale, gShift) = (Tensor(uninitializedShape: dims, layout: layout),
                                    Tensor(uninitializedShape: [channels]), Tensor(uninitializedShape: [channels]))
        var args: [(Int32, UnsafeMutableRawPointer)] = [
            (DNNL_ARG_SRC, UnsafeMutableRawPointer(x.storage.pointer)),
            (DNNL_ARG_DIFF_DST, UnsafeMutableRawPointer(gradY.storage.pointer)),
            (DNNL_ARG_SCALE, UnsafeMutableRawPointer(scale.storage.pointer)),
            (DNNL_ARG_SHIFT, UnsafeMutableRawPointer(shift.storage.pointer)),
            (DNNL_ARG_MEAN, UnsafeMutableRawPointer(mean.pointer)), (DNNL_ARG_VARIANCE, UnsafeMutableRawPointer(variance.pointer)),
            (DNNL_ARG_DIFF_SRC, UnsafeMutableRawPointer(gx.storage.pointer)),
            (DNNL_ARG_DIFF_SCALE, UnsafeMutableRawPointer(gScale.storage.pointer)),
            (DNNL_ARG_DIFF_SHIFT, UnsafeMutableRawPointer(gShift.storage.pointer)),
        ]
        if let workspace { args.append((DNNL_ARG_WORKSPACE, UnsafeMutableRawPointer(workspace.pointer))) }
        backwardPrimitive.execute(args)
        return (gx, gScale, gShift)
    }
}
