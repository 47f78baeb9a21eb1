import Tensor

/// Stochastic gradient descent with momentum, exactly PyTorch's `torch.optim.SGD` (dampening 0):
///
///     g ← grad + weightDecay·p
///     buf ← g on the first step, else momentum·buf + g
///     g ← g + momentum·buf if Nesterov, else buf
///     p ← p − lr·g
///
/// The multiply-adds are fused (one rounding), as in PyTorch's vectorised CPU kernels, so the
/// results agree with PyTorch to the last bit or so; ours are bit-identical run to run.
/// Parameters without a gradient are skipped, as in PyTorch. The momentum buffers are the whole
/// state; `state()`/`loadState(_:)` save and restore them for a bit-identical resume.
public final class SGD {
    public let groups: [ParameterGroup]
    public let momentum: Float
    public let nesterov: Bool
    /// Per group, per parameter; nil until the parameter's first step (PyTorch's lazy state).
    var momentumBuffers: [[Tensor?]]

    public init(groups: [ParameterGroup], momentum: Float, nesterov: Bool = false) {
        precondition(!nesterov || momentum > 0, "SGD: Nesterov momentum needs momentum > 0")
        let names = groups.flatMap { $0.parameters.map(\.name) }
        precondition(Set(names).count == names.count, "SGD: parameter names must be unique")
        self.groups = groups
        self.momentum = momentum
        self.nesterov = nesterov
        self.momentumBuffers = groups.map { [Tensor?](repeating: nil, count: $0.parameters.count) }
    }

    /// Applies one update with learning rate `learningRate` to every parameter that has a gradient.
    public func step(learningRate: Double) {
        let lr = Float(learningRate)
        for (g, group) in groups.enumerated() {
            for (i, parameter) in group.parameters.enumerated() {
                let p = parameter.tensor
                guard let grad = p.grad else { continue }
                precondition(grad.shape == p.shape, "SGD: gradient of \(parameter.name) has shape \(grad.shape), parameter \(p.shape)")
                let g32 = grad.layout == p.layout ? grad : Tensor.withoutRecording { grad.converted(to: p.layout) }
                let isFirstStep = momentumBuffers[g][i] == nil
                if momentum != 0 && isFirstStep {
                    momentumBuffers[g][i] = Tensor.zeros(p.shape, layout: p.layout)
                }
                update(p, gradient: g32, buffer: momentumBuffers[g][i], firstStep: isFirstStep,
                       weightDecay: group.weightDecay, lr: lr)
            }
        }
    }

    /// Clears every parameter's gradient.
    public func zeroGrad() {
        for group in groups {
            for parameter in group.parameters { parameter.tensor.zeroGrad() }
        }
    }

    // p, grad, buf: same shape and physical layout; updated element by element in place.
    private func update(_ p: Tensor, gradient: Tensor, buffer: Tensor?, firstStep: Bool, weightDecay: Float, lr: Float) {
        let (mu, nesterov) = (momentum, self.nesterov)
        gradient.withUnsafeScalars { grad in
            p.withUnsafeMutableScalars { param in
                guard let buffer else {
                    for k in 0..<param.count {
                        let d = weightDecay == 0 ? grad[k] : grad[k].addingProduct(param[k], weightDecay)
                        param[k] = param[k].addingProduct(d, -lr)
                    }
                    return
                }
                buffer.withUnsafeMutableScalars { buf in
                    for k in 0..<param.count {
                        let d = weightDecay == 0 ? grad[k] : grad[k].addingProduct(param[k], weightDecay)
                        buf[k] = firstStep ? d : buf[k] * mu + d
                        let direction = nesterov ? d.addingProduct(buf[k], mu) : buf[k]
                        param[k] = param[k].addingProduct(direction, -lr)
                    }
                }
            }
        }
    }
}
