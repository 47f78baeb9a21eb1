import CDNNL

/// A oneDNN forward-inference convolution on bfloat16 activations, fused with what follows a
/// convolution in an eval-mode ResNet: a float32 bias (a folded batch norm) and, as post-ops,
/// the residual sum and ReLU. Input, weights and output are bfloat16; oneDNN accumulates in
/// float32 and rounds the result once.
final class InferenceConvolutionPlan {
    let wDims: [Int], yDims: [Int]
    let yLayout: Layout
    let primitive: Primitive

    /// The plan for this geometry and fusion, from the cache.
    static func plan(x: BFloat16Activation, weightShape: [Int], stride: Int, padding: Int, residual: Bool,
                     relu: Bool) -> InferenceConvolutionPlan {
        let key = CacheKey("inference-convolution", descriptors: [x.descriptor],
                           numbers: weightShape + [stride, padding, residual ? 1 : 0, relu ? 1 : 0])
        return Dnnl.cached(key) {
            InferenceConvolutionPlan(x: x, weightShape: weightShape, stride: stride, padding: padding, residual: residual,
                                     relu: relu)
        }
    }

    private init(x: BFloat16Activation, weightShape: [Int], stride: Int, padding: Int, residual: Bool, relu: Bool) {
        let geometry = ConvolutionGeometry(input: x.shape, weight: weightShape, stride: stride, padding: padding)
        wDims = weightShape
        yDims = geometry.outputDims
        yLayout = .activation(channels: weightShape[0])
        var (src, weights, bias, dst) = (x.descriptor, Dnnl.descriptor(wDims, dnnl_format_tag_any, dnnl_bf16),
                                         Dnnl.descriptor([weightShape[0]], dnnl_a),
                                         Dnnl.descriptor(yDims, Dnnl.tag(yLayout, rank: 4), dnnl_bf16))
        var desc = dnnl_convolution_desc_t()
        Dnnl.check(dnnl_convolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_convolution_direct, &src, &weights,
                                                      &bias, &dst, geometry.stride, geometry.padLeft, geometry.padRight),
                   "convolution_forward_desc_init (inference)")
        var attributes: dnnl_primitive_attr_t?
        Dnnl.check(dnnl_primitive_attr_create(&attributes), "primitive_attr_create")
        defer { dnnl_primitive_attr_destroy(attributes) }
        var postOps: dnnl_post_ops_t?
        Dnnl.check(dnnl_post_ops_create(&postOps), "post_ops_create")
        defer { dnnl_post_ops_destroy(postOps) }
        // dst ← conv + bias + 1·dst (the residual already in dst), then ReLU.
        if residual { Dnnl.check(dnnl_post_ops_append_sum(postOps, 1), "post_ops_append_sum") }
        if relu { Dnnl.check(dnnl_post_ops_append_eltwise(postOps, 1, dnnl_eltwise_relu, 0, 0), "post_ops_append_eltwise") }
        Dnnl.check(dnnl_primitive_attr_set_post_ops(attributes, postOps), "primitive_attr_set_post_ops")
        primitive = Primitive(descriptor: Dnnl.primitiveDescriptor(&desc, attributes: attributes))
    }

    /// relu?(conv(x, weight) + bias (+ residual)). weight: OIHW float32; bias: (O) float32;
    /// residual (exactly when planned with one): the output's shape and layout.
    func run(_ x: BFloat16Activation, weight: Tensor, bias: Tensor, residual: BFloat16Activation?) -> BFloat16Activation {
        let y = BFloat16Activation(uninitializedShape: yDims, layout: yLayout)
        if let residual {
            y.pointer.copyMemory(from: residual.pointer, byteCount: residual.count * 2)
        }
        let (w, keep) = primitive.weights(weight, dims: wDims, arg: DNNL_ARG_WEIGHTS)
        primitive.execute([(DNNL_ARG_SRC, x.pointer), (DNNL_ARG_WEIGHTS, w),
                           (DNNL_ARG_BIAS, UnsafeMutableRawPointer(bias.storage.pointer)), (DNNL_ARG_DST, y.pointer)])
        withExtendedLifetime((keep, x, bias)) {}
        return y
    }
}
