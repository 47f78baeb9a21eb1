import Tensor

/// Parameters that share optimiser settings, as a PyTorch `param_groups` entry.
///
/// Names are the PyTorch state-dict names (`layer1.0.conv1.weight`); they key the optimiser
/// state file (`<name>.momentum_buffer`), so they must be unique across all groups.
public struct ParameterGroup {
    public var parameters: [(name: String, tensor: Tensor)]
    /// L2 penalty coefficient added to the gradient: g ← g + weightDecay · p.
    public var weightDecay: Float

    public init(parameters: [(name: String, tensor: Tensor)], weightDecay: Float) {
        self.parameters = parameters
        self.weightDecay = weightDecay
    }

    /// One group with `weightDecay` for every parameter, or — with `decayNormAndBias: false` —
    /// two groups, the second (weight decay 0) holding the 1-D parameters: batch-norm scales and
    /// shifts and every bias. Empty groups are left out.
    public static func split(_ parameters: [(name: String, tensor: Tensor)], weightDecay: Float,
                             decayNormAndBias: Bool) -> [ParameterGroup] {
        if decayNormAndBias {
            return [ParameterGroup(parameters: parameters, weightDecay: weightDecay)]
        }
        let decayed = parameters.filter { $0.tensor.rank > 1 }
        let undecayed = parameters.filter { $0.tensor.rank <= 1 }
        return [ParameterGroup(parameters: decayed, weightDecay: weightDecay),
                ParameterGroup(parameters: undecayed, weightDecay: 0)].filter { !$0.parameters.isEmpty }
    }
}
