import CDNNL

/// oneDNN element-wise sum of two same-shape, same-layout tensors, optionally followed by ReLU
/// as a post-op (the residual join of a ResNet block): one parallel pass over memory.
final class SumPlan {
    let forward: Primitive
    private let dims: [Int], layout: Layout

    static func plan(_ a: Tensor, relu: Bool) -> SumPlan {
        Dnnl.cached(CacheKey("sum", descriptors: [Dnnl.descriptor(a)], numbers: [relu ? 1 : 0])) { SumPlan(a, relu: relu) }
    }

    private init(_ a: Tensor, relu: Bool) {
        dims = a.shape
        layout = a.layout
        var (src0, src1, dst) = (Dnnl.descriptor(a), Dnnl.descriptor(a), Dnnl.descriptor(a))
        var desc = dnnl_binary_desc_t()
        Dnnl.check(dnnl_binary_desc_init(&desc, dnnl_binary_add, &src0, &src1, &dst), "binary_desc_init")
        var attributes: dnnl_primitive_attr_t?
        Dnnl.check(dnnl_primitive_attr_create(&attributes), "primitive_attr_create")
        defer { dnnl_primitive_attr_destroy(attributes) }
        if relu {
            var postOps: dnnl_post_ops_t?
            Dnnl.check(dnnl_post_ops_create(&postOps), "post_ops_create")
            defer { dnnl_post_ops_destroy(postOps) }
            Dnnl.check(dnnl_post_ops_append_eltwise(postOps, 1, dnnl_eltwise_relu, 0, 0), "post_ops_append_eltwise")
            Dnnl.check(dnnl_primitive_attr_set_post_ops(attributes, postOps), "primitive_attr_set_post_ops")
        }
        forward = Primitive(descriptor: Dnnl.primitiveDescriptor(&desc, attributes: attributes))
    }

    /// a + b (then ReLU when planned so); b must have a's shape and layout.
    func run(_ a: Tensor, _ b: Tensor) -> Tensor {
        let y = Tensor(uninitializedShape: dims, layout: layout)
        forward.execute([(DNNL_ARG_SRC_0, UnsafeMutableRawPointer(a.storage.pointer)),
                         (DNNL_ARG_SRC_1, UnsafeMutableRawPointer(b.storage.pointer)),
                         (DNNL_ARG_DST, UnsafeMutableRawPointer(y.storage.pointer))])
        return y
    }
}
