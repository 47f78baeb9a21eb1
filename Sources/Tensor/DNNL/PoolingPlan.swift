import CDNNL

/// oneDNN average pooling (window k×k, stride k, no padding) for one shape and layout.
final class PoolingPlan {
    let xDims: [Int], yDims: [Int]
    let layout: Layout
    private let kernel: [dnnl_dim_t], noPadding: [dnnl_dim_t] = [0, 0]
    let forward: Primitive
    private lazy var backwardPrimitive: Primitive = makeBackward()

    static func plan(x: Tensor, kernel: Int, training: Bool) -> PoolingPlan {
        Dnnl.cached(CacheKey("avgpool", descriptors: [Dnnl.descriptor(x)], numbers: [kernel, training ? 1 : 0])) {
            PoolingPlan(x: x, kernel: kernel, training: training)
        }
    }

    private init(x: Tensor, kernel k: Int, training: Bool) {
        xDims = x.shape
        yDims = [x.shape[0], x.shape[1], x.shape[2] / k, x.shape[3] / k]
        layout = x.layout
        kernel = [dnnl_dim_t(k), dnnl_dim_t(k)]
        var (src, dst) = (Dnnl.descriptor(xDims, Dnnl.tag(layout, rank: 4)), Dnnl.descriptor(yDims, Dnnl.tag(layout, rank: 4)))
        var desc = dnnl_pooling_desc_t()
        Dnnl.check(dnnl_pooling_forward_desc_init(&desc, training ? dnnl_forward_training : dnnl_forward_inference,
                                                  dnnl_pooling_avg_exclude_padding, &src, &dst, kernel, kernel,
                                                  noPadding, noPadding), "pooling_forward_desc_init")
        forward = Primitive(descriptor: Dnnl.primitiveDescriptor(&desc))
    }

    private func makeBackward() -> Primitive {
        var (diffSrc, diffDst) = (Dnnl.descriptor(xDims, Dnnl.tag(layout, rank: 4)), Dnnl.descriptor(yDims, Dnnl.tag(layout, rank: 4)))
        var desc = dnnl_pooling_desc_t()
        Dnnl.check(dnnl_pooling_backward_desc_init(&desc, dnnl_pooling_avg_exclude_padding, &diffSrc, &diffDst,
                                                   kernel, kernel, noPadding, noPadding), "pooling_backward_desc_init")
        return Primitive(descriptor: Dnnl.primitiveDescriptor(&desc, hint: forward))
    }

    func run(_ x: Tensor) -> Tensor {
        let y = Tensor(uninitializedShape: yDims, layout: layout)
        forward.execute([(DNNL_ARG_SRC, UnsafeMutableRawPointer(x.storage.pointer)),
                         (DNNL_ARG_DST, UnsafeMutableRawPointer(y.storage.pointer))])
        return y
    }

    func backward(_ gradY: Tensor) -> Tensor {
        let gx = Tensor(uninitializedShape: xDims, layout: layout)
        backwardPrimitive.execute([(DNNL_ARG_DIFF_DST, UnsafeMutableRawPointer(gradY.storage.pointer)),
                                   (DNNL_ARG_DIFF_SRC, UnsafeMutableRawPointer(gx.storage.pointer))])
        return gx
    }
}

/// oneDNN ReLU on a tensor of any layout, with a backward pass that reads the output.
final class ReLUPlan {
    let forward: Primitive
    private let dims: [Int], layout: Layout
    private lazy var backwardPrimitive: Primitive = {
        var (diff, data) = (Dnnl.descriptor(dims, Dnnl.tag(layout, rank: dims.count)), Dnnl.descriptor(dims, Dnnl.tag(layout, rank: dims.count)))
        var desc = dnnl_eltwise_desc_t()
        Dnnl.check(dnnl_eltwise_backward_desc_init(&desc, dnnl_eltwise_relu_use_dst_for_bwd, &diff, &data, 0, 0),
                   "eltwise_backward_desc_init")
        return Primitive(descriptor: Dnnl.primitiveDescriptor(&desc, hint: forward))
    }()

    static func plan(x: Tensor, training: Bool) -> ReLUPlan {
        Dnnl.cached(CacheKey("relu", descriptors: [Dnnl.descriptor(x)], numbers: [training ? 1 : 0])) {
            ReLUPlan(x: x, training: training)
        }
    }

    private init(x: Tensor, training: Bool) {
        dims = x.shape
        layout = x.layout
        var md = Dnnl.descriptor(x)
        var desc = dnnl_eltwise_desc_t()
        Dnnl.check(dnnl_eltwise_forward_desc_init(&desc, training ? dnnl_forward_training : dnnl_forward_inference,
                                                  dnnl_eltwise_relu_use_dst_for_bwd, &md, 0, 0), "eltwise_forward_desc_init")
        forward = Primitive(descriptor: Dnnl.primitiveDescriptor(&desc))
    }

    func run(_ x: Tensor) -> Tensor {
        let y = Tensor(uninitializedShape: dims, layout: layout)
        forward.execute([(DNNL_ARG_SRC, UnsafeMutableRawPointer(x.storage.pointer)),
                         (DNNL_ARG_DST, UnsafeMutableRawPointer(y.storage.pointer))])
        return y
    }

    func backward(_ gradY: Tensor, output y: Tensor) -> Tensor {
        let gx = Tensor(uninitializedShape: dims, layout: layout)
        backwardPrimitive.execute([(DNNL_ARG_DIFF_DST, UnsafeMutableRawPointer(gradY.storage.pointer)),
                                   (DNNL_ARG_DST, UnsafeMutableRawPointer(y.storage.pointer)),
                                   (DNNL_ARG_DIFF_SRC, UnsafeMutableRawPointer(gx.storage.pointer))])
        return gx
    }
}
