import Tensor

/// A parameter tensor with the name it carries in checkpoints (PyTorch state-dict style,
/// relative to the module that owns it, e.g. `weight`, `projector.0.bias`).
public typealias NamedTensor = (name: String, tensor: Tensor)

/// The last layer of a classifier: maps penultimate features `[N, d]` to class scores `[N, K]`.
///
/// Heads are classes because their parameters are updated in place by the optimiser.
public protocol ClassifierHead: AnyObject {
    /// Number of classes K.
    var classCount: Int { get }
    /// Trainable tensors, in a fixed order, with checkpoint names.
    var parameters: [NamedTensor] { get }
    /// The class vectors as a `[K, d]` matrix (a view for the uniform term and MaxNorm; differentiable).
    var classVectors: Tensor { get }
    /// Class scores `[N, K]` of features `[N, d]`; the argmax is the prediction.
    func logits(_ features: Tensor) -> Tensor
}

extension Tensor {
    /// A leaf parameter (requires a gradient) drawn uniformly from [−bound, bound): PyTorch's
    /// `nn.Linear` default for both weight and bias is `bound = 1/√fan_in`.
    static func uniformParameter(_ shape: [Int], bound: Float, using generator: inout SeededGenerator) -> Tensor {
        let t = Tensor.randomUniform(shape, low: -bound, high: bound, using: &generator)
        t.requiresGrad = true
        return t
    }
}
