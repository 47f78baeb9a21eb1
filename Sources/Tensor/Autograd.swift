/// The backward half of one recorded op: the op's inputs and the rule that maps the
/// gradient of its output to gradients of those inputs (`nil` where none flows).
final class GradFn {
    let inputs: [Tensor]
    /// `(gradient of output, output) -> gradient of each input`. The output is passed in
    /// rather than captured so that a tensor and its `GradFn` never form a cycle.
    let rule: (Tensor, Tensor) -> [Tensor?]

    init(inputs: [Tensor], rule: @escaping (Tensor, Tensor) -> [Tensor?]) {
        self.inputs = inputs
        self.rule = rule
    }
}

/// Attaches `rule` to `output` when recording is on and some input needs a gradient;
/// returns `output`. Every differentiable op ends with this call, next to its forward code.
func record(_ output: Tensor, inputs: [Tensor], rule: @escaping (_ grad: Tensor, _ output: Tensor) -> [Tensor?]) -> Tensor {
    guard Tensor.isRecording, inputs.contains(where: { $0.requiresGrad }) else { return output }
    output.requiresGrad = true
    output.gradFn = GradFn(inputs: inputs, rule: rule)
    return output
}

extension Tensor {
    /// Whether ops record their gradient rules on the current task/thread.
    @TaskLocal static var isRecording = true

    /// Whether ops record gradient rules here (false inside `withoutRecording`): layers that
    /// have a faster path without gradients (the bf16 inference chain) ask before taking it.
    public static var isRecordingGradients: Bool { isRecording }

    /// Runs `body` without recording any op (inference, metrics, in-place updates):
    /// results have no graph and do not require gradients. The scope is per task/thread;
    /// it does not touch the training/eval mode, which ops take as an explicit argument.
    public static func withoutRecording<R>(_ body: () throws -> R) rethrows -> R {
        try $isRecording.withValue(false, operation: body)
    }

    /// Whether this tensor's value came from recorded ops (it has a backward path).
    public var hasGraph: Bool { gradFn != nil }

    /// Reverse-mode differentiation from this tensor: accumulates d(self)/d(leaf) into the
    /// `grad` of every leaf tensor with `requiresGrad` that it depends on.
    ///
    /// `self` must be a scalar unless `seed` (the gradient of some downstream scalar with
    /// respect to `self`, same shape) is given. The graph is released afterwards, so a
    /// second `backward()` through the same ops is a programming error.
    public func backward(seed: Tensor? = nil) {
        precondition(requiresGrad, "Tensor.backward: tensor does not require a gradient (nothing recorded)")
        precondition(seed != nil || count == 1,
                     "Tensor.backward: output of shape \(shape) is not a scalar; pass `seed`")
        let order = topologicalOrder()
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed ?? Tensor.full(shape, 1, layout: layout)]
        Tensor.withoutRecording {
            for tensor in order.reversed() {
                guard let grad = pending.removeValue(forKey: ObjectIdentifier(tensor)) else { continue }
                guard let fn = tensor.gradFn else {
                    tensor.grad = tensor.grad.map { accumulated($0, grad) } ?? grad
                    continue
                }
                let inputGrads = fn.rule(grad, tensor)
                precondition(inputGrads.count == fn.inputs.count, "Tensor.backward: rule returned wrong gradient count")
                for (input, g) in zip(fn.inputs, inputGrads) where input.requiresGrad {
                    guard let g else { continue }
                    precondition(g.shape == input.shape,
                                 "Tensor.backward: gradient shape \(g.shape) for input of shape \(input.shape)")
                    let key = ObjectIdentifier(input)
                    pending[key] = pending[key].map { accumulated($0, g) } ?? g
                }
            }
        }
        for tensor in order where tensor.gradFn != nil { tensor.gradFn = nil }
    }

    /// Drops the accumulated gradient.
    public func zeroGrad() { grad = nil }

    /// Tensors reachable from `self` through recorded ops, each after all its inputs.
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Int)] = [(self, 0)]
        visited.insert(ObjectIdentifier(self))
        while let (tensor, next) = stack.popLast() {
            let inputs = tensor.gradFn?.inputs ?? []
            if next < inputs.count {
                stack.append((tensor, next + 1))
                let input = inputs[next]
                if input.requiresGrad, visited.insert(ObjectIdentifier(input)).inserted {
                    stack.append((input, 0))
                }
            } else {
                order.append(tensor)
            }
        }
        return order
    }
}

/// `a + b` for two gradients of the same tensor (same shape), in `a`'s layout.
func accumulated(_ a: Tensor, _ b: Tensor) -> Tensor {
    let b = b.layout == a.layout ? b : b.converted(to: a.layout)
    if a.rank == 4 { return SumPlan.plan(a, relu: false).run(a, b) }
    let out = Tensor(uninitializedShape: a.shape, layout: a.layout)
    let (x, y, z) = (a.storage.pointer, b.storage.pointer, out.storage.pointer)
    for i in 0..<a.count { z[i] = x[i] + y[i] }
    return out
}
