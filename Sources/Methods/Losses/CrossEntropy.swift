import Foundation
import Tensor

/// Softmax cross-entropy, as PyTorch's `F.cross_entropy`.
///
/// - Hard labels: mean of −log p_y over the batch; with `classWeights` the weighted mean
///   Σᵢ w_{yᵢ}·(−log p_{yᵢ}) / Σᵢ w_{yᵢ} (PyTorch's `weight=` semantics, which LDAM-DRW's DRW uses).
/// - Soft targets T: mean over the batch of −Σ_k T_k log p_k (class weights are not defined there).
public func crossEntropy(logits: Tensor, targets: Targets, classWeights: [Float]? = nil) -> Tensor {
    let logProbabilities = logits.logSoftmax()
    switch targets {
    case .labels(let labels):
        let nll = -logProbabilities.gather(labels: labels)
        guard let classWeights else { return nll.mean() }
        precondition(classWeights.count == logits.shape[1],
                     "crossEntropy: \(classWeights.count) class weights for \(logits.shape[1]) classes")
        let weights = labels.map { classWeights[$0] }
        return (nll * Tensor(shape: [labels.count], scalars: weights)).sum() / weights.reduce(0, +)
    case .soft:
        precondition(classWeights == nil, "crossEntropy: class weights are only defined for hard labels")
        let t = targets.matrix(classCount: logits.shape[1])
        return -(t * logProbabilities).sum(axis: 1).mean()
    }
}

/// The softmax focal loss of Lin et al. as LDAM-DRW implements it: per sample
/// (1 − p_y)^γ · (−log p_y), mean over the batch. γ = 0 is plain cross-entropy.
public func focalLoss(logits: Tensor, labels: [Int], gamma: Float) -> Tensor {
    let logP = logits.logSoftmax().gather(labels: labels)
    // (1 − p)^γ as exp(γ·log(1 − p)); the floor keeps log finite when p rounds to 1.
    let modulator = ((1 - logP.exp()).clamped(min: 1e-30, max: 1).log() * gamma).exp()
    return -(modulator * logP).mean()
}

/// Balanced Softmax (Ren et al. 2020): cross-entropy on `z + log n_c` during training; at
/// test time the plain logits are used.
public func balancedSoftmaxLoss(logits: Tensor, targets: Targets, classCounts: [Int]) -> Tensor {
    precondition(classCounts.count == logits.shape[1] && classCounts.allSatisfy { $0 > 0 },
                 "balancedSoftmaxLoss: need a positive training count for each of \(logits.shape[1]) classes")
    let logPrior = Tensor(shape: [classCounts.count], scalars: classCounts.map { Float(Foundation.log(Double($0))) })
    return crossEntropy(logits: logits + logPrior, targets: targets)
}
