import Foundation
import Tensor

/// BCE3S's classifier: `z_k = ŵ_k · f + b_k` with `ŵ_k = w_k / max(‖w_k‖, 1e-5)` and the
/// feature left unnormalised (METHOD.md §3).
///
/// Initialised as the authors' head: W ~ N(0, 1/d) (`kaiming_normal_(a=1, fan_in)`), b ~ U(±1/√d).
/// The ±64 clamp of the joint term belongs to the BCE loss (`BinaryCrossEntropy.clamp`), so
/// these logits are the unclamped scores used at inference.
public final class NormalizedHead: ClassifierHead {
    /// `[K, d]`, checkpoint name `weight`.
    public let weight: Tensor
    /// `[K]`, checkpoint name `b` as in the authors' code.
    public let bias: Tensor
    /// The ε of ŵ = w / max(‖w‖, ε).
    public static let normEpsilon: Float = 1e-5

    public init(featureDimension d: Int, classCount k: Int, generator: inout SeededGenerator) {
        let scale = 1 / Float(d).squareRoot()
        weight = Tensor.randomNormal([k, d], std: scale, using: &generator)
        weight.requiresGrad = true
        bias = .uniformParameter([k], bound: scale, using: &generator)
    }

    public var classCount: Int { weight.shape[0] }
    public var parameters: [NamedTensor] { [("weight", weight), ("b", bias)] }
    public var classVectors: Tensor { weight }

    /// Ŵ, the row-normalised class vectors `[K, d]`.
    public var normalizedWeight: Tensor { weight.l2NormalizedRows(eps: Self.normEpsilon) }

    public func logits(_ features: Tensor) -> Tensor {
        Tensor.linear(features, weight: normalizedWeight, bias: bias)
    }
}
