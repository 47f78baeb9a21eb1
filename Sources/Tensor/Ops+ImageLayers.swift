/// The non-convolution layers of CIFAR ResNets on (N, C, H, W) activations: ReLU (`relu()`), average
/// pooling, the option-A shortcut and the horizontal flip. Each keeps or chooses the
/// activation layout itself.
extension Tensor {
    /// ReLU of an activation through oneDNN (parallel); same shape and layout.
    func dnnlReLU() -> Tensor {
        let plan = ReLUPlan.plan(x: self, training: Tensor.isRecording && requiresGrad)
        return record(plan.run(self), inputs: [self]) { g, y in [plan.backward(g.converted(to: y.layout), output: y)] }
    }

    /// relu(a + b) in one oneDNN pass: the join of a residual block. a, b: (N, C, H, W), same
    /// shape; b is brought to a's layout. The gradient flows to both inputs where the output is positive.
    public static func reluOfSum(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.rank == 4 && a.shape == b.shape, "Tensor.reluOfSum: shapes \(a.shape) and \(b.shape) differ")
        let b = b.converted(to: a.layout)
        let y = SumPlan.plan(a, relu: true).run(a, b)
        return record(y, inputs: [a, b]) { g, y in
            let gx = ReLUPlan.plan(x: y, training: true).backward(g.converted(to: y.layout), output: y)
            return [gx, gx]
        }
    }

    /// Average pooling with a k×k window and stride k (PyTorch `avg_pool2d(x, k)`).
    /// x: (N, C, H, W) → (N, C, H/k, W/k), same layout.
    public func avgPool2d(kernel: Int) -> Tensor {
        precondition(rank == 4 && kernel >= 1 && shape[2] >= kernel && shape[3] >= kernel,
                     "Tensor.avgPool2d: kernel \(kernel) does not fit input \(shape)")
        let plan = PoolingPlan.plan(x: self, kernel: kernel, training: Tensor.isRecording && requiresGrad)
        return record(plan.run(self), inputs: [self]) { g, _ in [plan.backward(g.converted(to: plan.layout))] }
    }

    /// Mean over H×W of a square map: (N, C, H, H) → (N, C) standard, the penultimate feature.
    public func globalAvgPool() -> Tensor {
        precondition(rank == 4 && shape[2] == shape[3], "Tensor.globalAvgPool: expected square (N, C, H, H), got \(shape)")
        return avgPool2d(kernel: shape[2]).flattenedRows()
    }

    /// The option-A shortcut of CIFAR ResNets (LDAM-DRW `resnet_cifar.py`): every second pixel
    /// in both directions, then `(outChannels − C) / 2` zero channels on each side.
    /// x: (N, C, H, W) → (N, outChannels, ⌈H/2⌉, ⌈W/2⌉) in `Layout.activation(channels: outChannels)`.
    public func shortcutA(outChannels: Int) -> Tensor {
        precondition(rank == 4 && outChannels >= shape[1] && (outChannels - shape[1]) % 2 == 0,
                     "Tensor.shortcutA: cannot pad \(shape) to \(outChannels) channels symmetrically")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let pad = (outChannels - c) / 2
        let outShape = [n, outChannels, (h + 1) / 2, (w + 1) / 2]
        let out = Tensor.zeros(outShape, layout: .activation(channels: outChannels))
        let (src, dst) = (storage.pointer, out.storage.pointer)
        for b in 0..<n { for ch in 0..<c { for i in 0..<outShape[2] { for j in 0..<outShape[3] {
            dst[out.layout.offset(b, ch + pad, i, j, shape: outShape)] = src[layout.offset(b, ch, 2 * i, 2 * j, shape: shape)]
        } } } }
        let x = self
        return record(out, inputs: [x]) { g, _ in
            let gx = Tensor.zeros(x.shape, layout: x.layout)
            let (gp, dst) = (g.storage.pointer, gx.storage.pointer)
            for b in 0..<n { for ch in 0..<c { for i in 0..<outShape[2] { for j in 0..<outShape[3] {
                dst[x.layout.offset(b, ch, 2 * i, 2 * j, shape: x.shape)] = gp[g.layout.offset(b, ch + pad, i, j, shape: outShape)]
            } } } }
            return [gx]
        }
    }

    /// Mirror images left–right (x: (N, C, H, W), any layout); its own inverse, so also its gradient.
    public func flippedHorizontally() -> Tensor {
        precondition(rank == 4, "Tensor.flippedHorizontally: expected (N, C, H, W), got \(shape)")
        return record(Tensor.mirror(self), inputs: [self]) { g, _ in [Tensor.mirror(g)] }
    }

    private static func mirror(_ x: Tensor) -> Tensor {
        let out = Tensor(uninitializedShape: x.shape, layout: x.layout)
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (src, dst) = (x.storage.pointer, out.storage.pointer)
        for b in 0..<n { for ch in 0..<c { for i in 0..<h { for j in 0..<w {
            dst[x.layout.offset(b, ch, i, w - 1 - j, shape: x.shape)] = src[x.layout.offset(b, ch, i, j, shape: x.shape)]
        } } } }
        return out
    }
}
