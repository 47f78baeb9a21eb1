import CDNNL

/// The oneDNN primitives of one convolution geometry and precision: forward, backward-data
/// and backward-weights (the last two made on first use), plus the weight reorders between
/// PyTorch's OIHW and the layouts the primitives prefer.
///
/// In `bf16` the operands (input, weights, output gradient) are bfloat16 copies made by
/// `operand(_:)`; outputs, input gradients and weight gradients are float32 (oneDNN
/// accumulates in float32), so everything around the convolution stays float32.
final class ConvolutionPlan {
    let xDims: [Int], wDims: [Int], yDims: [Int]
    let xLayout: Layout, yLayout: Layout
    let precision: Precision
    private let stride: [dnnl_dim_t], padLeft: [dnnl_dim_t], padRight: [dnnl_dim_t]
    /// `dnnl_convolution_winograd` or `dnnl_convolution_direct`; backward passes use the forward's.
    let algorithm: dnnl_alg_kind_t
    var usesWinograd: Bool { algorithm == dnnl_convolution_winograd }
    let forward: Primitive
    private lazy var backwardDataPrimitive: Primitive = makeBackwardData()
    private lazy var backwardWeightsPrimitive: Primitive = makeBackwardWeights()

    /// The plan for this geometry, from the cache.
    static func plan(x: Tensor, weight: Tensor, stride: Int, padding: Int, training: Bool,
                     precision: Precision = .fp32) -> ConvolutionPlan {
        let key = CacheKey("conv", descriptors: [Dnnl.descriptor(x)],
                           numbers: weight.shape + [stride, padding, training ? 1 : 0, precision == .bf16 ? 1 : 0])
        return Dnnl.cached(key) {
            ConvolutionPlan(x: x, weightShape: weight.shape, stride: stride, padding: padding, training: training,
                            precision: precision)
        }
    }

    private init(x: Tensor, weightShape: [Int], stride s: Int, padding p: Int, training: Bool, precision: Precision) {
        let geometry = ConvolutionGeometry(input: x.shape, weight: weightShape, stride: s, padding: p)
        let k = weightShape[2]
        xDims = x.shape
        wDims = weightShape
        yDims = geometry.outputDims
        xLayout = x.layout
        yLayout = .activation(channels: weightShape[0])
        self.precision = precision
        let operand = Dnnl.operandType(precision)
        (stride, padLeft, padRight) = (geometry.stride, geometry.padLeft, geometry.padRight)
        var (src, weights, dst) = (Dnnl.descriptor(xDims, Dnnl.tag(xLayout, rank: 4), operand),
                                   Dnnl.descriptor(wDims, dnnl_format_tag_any, operand),
                                   Dnnl.descriptor(yDims, Dnnl.tag(yLayout, rank: 4)))
        let prop = training ? dnnl_forward_training : dnnl_forward_inference
        var desc = dnnl_convolution_desc_t()
        // Winograd F(4×4, 3×3) needs 2.25× fewer multiplies; measured on AVX-512 it beats direct
        // convolution in all three passes from 32 channels on, not at 16 (bench numbers in the README).
        // oneDNN has no bfloat16 Winograd, so bf16 is always direct.
        var algorithm = dnnl_convolution_direct
        var descriptor: dnnl_primitive_desc_t?
        if precision == .fp32, k == 3, s == 1, min(x.shape[1], weightShape[0]) >= 32, xLayout == .blocked16, yLayout == .blocked16,
           dnnl_convolution_forward_desc_init(&desc, prop, dnnl_convolution_winograd, &src, &weights, nil, &dst,
                                              stride, padLeft, padRight) == dnnl_success,
           dnnl_primitive_desc_create(&descriptor, &desc, nil, Dnnl.engine, nil) == dnnl_success {
            algorithm = dnnl_convolution_winograd
        } else {
            Dnnl.check(dnnl_convolution_forward_desc_init(&desc, prop, dnnl_convolution_direct, &src, &weights, nil, &dst,
                                                          stride, padLeft, padRight), "convolution_forward_desc_init")
            descriptor = Dnnl.primitiveDescriptor(&desc)
        }
        self.algorithm = algorithm
        forward = Primitive(descriptor: descriptor!)
    }

    private func makeBackwardData() -> Primitive {
        let operand = Dnnl.operandType(precision)
        var (diffSrc, weights, diffDst) = (Dnnl.descriptor(xDims, Dnnl.tag(xLayout, rank: 4)),
                                           Dnnl.descriptor(wDims, dnnl_format_tag_any, operand),
                                           Dnnl.descriptor(yDims, Dnnl.tag(yLayout, rank: 4), operand))
        var desc = dnnl_convolution_desc_t()
        Dnnl.check(dnnl_convolution_backward_data_desc_init(&desc, algorithm, &diffSrc, &weights, &diffDst,
                                                            stride, padLeft, padRight), "convolution_backward_data_desc_init")
        return Primitive(descriptor: Dnnl.primitiveDescriptor(&desc, hint: forward))
    }

    private func makeBackwardWeights() -> Primitive {
        let operand = Dnnl.operandType(precision)
        var (src, diffWeights, diffDst) = (Dnnl.descriptor(xDims, Dnnl.tag(xLayout, rank: 4), operand),
                                           Dnnl.descriptor(wDims, dnnl_format_tag_any),
                                           Dnnl.descriptor(yDims, Dnnl.tag(yLayout, rank: 4), operand))
        var desc = dnnl_convolution_desc_t()
        Dnnl.check(dnnl_convolution_backward_weights_desc_init(&desc, algorithm, &src, &diffWeights, nil,
                                                               &diffDst, stride, padLeft, padRight),
                   "convolution_backward_weights_desc_init")
        return Primitive(descriptor: Dnnl.primitiveDescriptor(&desc, hint: forward))
    }

    /// A float32 activation (x in xLayout, or dL/dy in yLayout) as the primitives read it: the
    /// tensor's own buffer in fp32, a bfloat16 copy in the same layout in bf16.
    func operand(_ tensor: Tensor) -> ConvolutionOperand {
        guard precision == .bf16 else { return ConvolutionOperand(UnsafeMutableRawPointer(tensor.storage.pointer), keeping: tensor) }
        let copy = BFloat16Activation(rounding: tensor)
        return ConvolutionOperand(copy.pointer, keeping: copy.storage)
    }

    /// y = conv(x, w). x: `operand` of xDims in xLayout, weight: OIHW float32 → yDims in yLayout.
    func run(_ x: ConvolutionOperand, _ weight: Tensor) -> Tensor {
        let y = Tensor(uninitializedShape: yDims, layout: yLayout)
        let (w, keep) = forward.weights(weight, dims: wDims, arg: DNNL_ARG_WEIGHTS)
        forward.execute([(DNNL_ARG_SRC, x.pointer), (DNNL_ARG_WEIGHTS, w),
                         (DNNL_ARG_DST, UnsafeMutableRawPointer(y.storage.pointer))])
        withExtendedLifetime((keep, x)) {}
        return y
    }

    /// dL/dx (float32, xDims in xLayout) from dL/dy (`operand`, yLayout) and the weights.
    func backwardData(_ gradY: ConvolutionOperand, _ weight: Tensor) -> Tensor {
        let gx = Tensor(uninitializedShape: xDims, layout: xLayout)
        let (w, keep) = backwardDataPrimitive.weights(weight, dims: wDims, arg: DNNL_ARG_WEIGHTS)
        backwardDataPrimitive.execute([(DNNL_ARG_DIFF_DST, gradY.pointer), (DNNL_ARG_WEIGHTS, w),
                                       (DNNL_ARG_DIFF_SRC, UnsafeMutableRawPointer(gx.storage.pointer))])
        withExtendedLifetime((keep, gradY)) {}
        return gx
    }

    /// dL/dw (float32, OIHW) from the input and dL/dy, both as `operand`s.
    func backwardWeights(_ x: ConvolutionOperand, _ gradY: ConvolutionOperand) -> Tensor {
        let gw = Tensor(uninitializedShape: wDims)
        var produced = backwardWeightsPrimitive.descriptor(for: DNNL_ARG_DIFF_WEIGHTS)
        var plain = Dnnl.descriptor(wDims, dnnl_oihw)
        let direct = dnnl_memory_desc_equal(&produced, &plain) != 0
        let buffer = direct ? nil : Storage(count: backwardWeightsPrimitive.floatCount(for: DNNL_ARG_DIFF_WEIGHTS), zeroed: false)
        let target = buffer?.pointer ?? gw.storage.pointer
        backwardWeightsPrimitive.execute([(DNNL_ARG_SRC, x.pointer), (DNNL_ARG_DIFF_DST, gradY.pointer),
                                          (DNNL_ARG_DIFF_WEIGHTS, UnsafeMutableRawPointer(target))])
        if let buffer { Dnnl.reorder(from: produced, buffer.pointer, to: plain, gw.storage.pointer) }
        withExtendedLifetime((x, gradY)) {}
        return gw
    }
}

/// A convolution operand's buffer and the object that owns it (a tensor, or a bfloat16 copy).
struct ConvolutionOperand {
    let pointer: UnsafeMutableRawPointer
    private let owner: AnyObject

    init(_ pointer: UnsafeMutableRawPointer, keeping owner: AnyObject) {
        self.pointer = pointer
        self.owner = owner
    }
}
