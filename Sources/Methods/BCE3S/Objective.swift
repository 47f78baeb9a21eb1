import Tensor

/// A method made concrete for one dataset: the head, the extra modules (projection, memory)
/// and the loss of a training step, built from a `MethodSpec` (METHOD.md §3).
///
/// The trainer owns the backbone and the data; per step it gives the features of the batch
/// (`[B, d]`, or `[3B, d]` = unmixed, mixup, CutMix when `spec.mixing`), calls `loss`,
/// back-propagates, steps the optimiser, then calls `commit` (memory update).
public final class Objective {
    public let spec: MethodSpec
    /// Training images per class n_c (LDAM margins, DRW, Balanced Softmax, stage-2 weights).
    public let classCounts: [Int]
    public let head: ClassifierHead
    /// The contrastive term's projection and memory (`nil` when the term is off).
    public let projection: ProjectionHead?
    public let memory: ClassMemory?
    let ldam: LDAMLoss?
    let bce: BinaryCrossEntropy

    /// Draws the head (and projection) from `generator`. Throws a `ConfigError` for an invalid spec.
    public init(spec: MethodSpec, featureDimension d: Int, classCounts: [Int], generator: inout SeededGenerator) throws {
        try spec.validate()
        self.spec = spec
        self.classCounts = classCounts
        let k = classCounts.count
        switch spec.head {
        case .linear: head = LinearHead(featureDimension: d, classCount: k, generator: &generator)
        case .normalized: head = NormalizedHead(featureDimension: d, classCount: k, generator: &generator)
        case .cosine: head = CosineHead(featureDimension: d, classCount: k, generator: &generator)
        }
        if spec.contrastive != .off {
            projection = ProjectionHead(featureDimension: d, outputDimension: spec.projectionDimension, generator: &generator)
            memory = ClassMemory(classCount: k, dimension: spec.projectionDimension)
        } else {
            projection = nil
            memory = nil
        }
        ldam = spec.joint == .ldam ? LDAMLoss(classCounts: classCounts, maxMargin: spec.ldamMaxMargin, scale: spec.ldamScale) : nil
        bce = BinaryCrossEntropy(clamp: spec.logitClamp, negativeWeight: spec.negativeWeight)
    }

    /// Trainable tensors with checkpoint names (`classifier.…`, `projector.…`).
    public var parameters: [NamedTensor] {
        head.parameters.map { ("classifier." + $0.name, $0.tensor) }
            + (projection?.parameters ?? []).map { ("projector." + $0.name, $0.tensor) }
    }

    /// Non-trained state that a checkpoint must keep (the contrastive memory).
    public var buffers: [NamedTensor] { memory.map { [("memory.feat_memory", $0.rows)] } ?? [] }

    /// Class scores for prediction (`[N, K]`): the head's logits (plain z for Balanced Softmax).
    public func logits(_ features: Tensor) -> Tensor { head.logits(features) }

    /// The labels and mixed targets of one training step.
    public struct Batch {
        /// Labels of the unmixed samples (B).
        public var labels: [Int]
        /// Soft targets of the mixup and CutMix samples (B each), when mixing.
        public var mixup: Targets?
        public var cutmix: Targets?

        public init(labels: [Int], mixup: Targets? = nil, cutmix: Targets? = nil) {
            self.labels = labels
            self.mixup = mixup
            self.cutmix = cutmix
        }
    }

    /// The loss of one step and its parts (for logs), plus what `commit` must write.
    public struct StepLoss {
        public let total: Tensor
        /// `joint`, `contrastive`, `uniform` values (only the terms that ran).
        public let terms: [String: Float]
        let memoryWrite: (projections: Tensor, labels: [Int])?
    }

    /// The step loss L = L_sc + λ_ss·L_ss + λ_cc·L_cc (or the baseline's loss).
    /// `generator` draws the random negative classes; `epoch` is 0-based.
    public func loss(features: Tensor, batch: Batch, epoch: Int, epochs: Int,
                     generator: inout SeededGenerator) -> StepLoss {
        let b = batch.labels.count
        precondition(features.shape[0] == (spec.mixing ? 3 * b : b),
                     "Objective.loss: \(features.shape[0]) feature rows for \(b) labels (mixing: \(spec.mixing))")
        let parts = spec.mixing ? features.split(rows: [b, b, b]) : [features]
        let logits = head.logits(features)
        let logitParts = spec.mixing ? logits.split(rows: [b, b, b]) : [logits]
        var terms: [String: Float] = [:]

        let classSet = spec.joint == .bce && spec.negativeRatio < 1
            ? partialClassSet(labels: batch.labels, classCount: head.classCount, ratio: spec.negativeRatio, generator: &generator)
            : nil
        var total = jointLoss(logitParts[0], .labels(batch.labels), classSet: classSet, epoch: epoch, epochs: epochs)
        if spec.mixing {
            guard let mixup = batch.mixup, let cutmix = batch.cutmix else {
                preconditionFailure("Objective.loss: mixing is on but the batch has no mixed targets")
            }
            total = (total + jointLoss(logitParts[1], mixup, classSet: nil, epoch: epoch, epochs: epochs)
                + jointLoss(logitParts[2], cutmix, classSet: nil, epoch: epoch, epochs: epochs)) / 3
        }
        terms["joint"] = total.item()

        var memoryWrite: (Tensor, [Int])?
        if let projection, let memory, let form = spec.contrastive.form, let mixup = batch.mixup, let cutmix = batch.cutmix {
            memoryWrite = (Tensor.withoutRecording { projection(parts[0]) }, batch.labels)
            if epoch > 0 {
                let mixed = projection(Tensor.concat([parts[1], parts[2]]))
                let cosines = memory.cosineLogits(mixed, temperature: spec.temperature).split(rows: [b, b])
                let contrastive = termLoss(form, bce: bce, logits: cosines[0], targets: mixup)
                    + termLoss(form, bce: bce, logits: cosines[1], targets: cutmix)
                terms["contrastive"] = contrastive.item()
                total = total + contrastive * spec.contrastiveWeight
            }
        }
        if let form = spec.uniform.form {
            let uniform = uniformLoss(classVectors: head.classVectors, scale: spec.uniformScale, form: form)
            terms["uniform"] = uniform.item()
            total = total + uniform * spec.uniformWeight
        }
        return StepLoss(total: total, terms: terms, memoryWrite: memoryWrite)
    }

    /// Applies the step's memory write (after the optimiser step).
    public func commit(_ step: StepLoss) {
        if let memory, let write = step.memoryWrite { memory.overwrite(with: write.projections, labels: write.labels) }
    }

    /// The DRW class weights at `epoch`, or `nil` before re-weighting starts.
    public func reweighting(epoch: Int, epochs: Int) -> [Float]? {
        guard spec.drw, Double(epoch) >= (spec.drwStartFraction * Double(epochs)).rounded(.down) else { return nil }
        return classBalancedWeights(classCounts: classCounts, beta: spec.drwBeta)
    }

    private func jointLoss(_ logits: Tensor, _ targets: Targets, classSet: [Int]?, epoch: Int, epochs: Int) -> Tensor {
        let weights = reweighting(epoch: epoch, epochs: epochs)
        switch spec.joint {
        case .ce: return crossEntropy(logits: logits, targets: targets, classWeights: weights)
        case .focal: return focalLoss(logits: logits, labels: batchLabels(targets), gamma: spec.focalGamma)
        case .ldam: return ldam!(cosines: logits, labels: batchLabels(targets), classWeights: weights)
        case .balancedSoftmax: return balancedSoftmaxLoss(logits: logits, targets: targets, classCounts: classCounts)
        case .bce: return bce(logits: logits, targets: targets, classSet: classSet)
        }
    }

    private func batchLabels(_ targets: Targets) -> [Int] {
        guard case .labels(let labels) = targets else { preconditionFailure("Objective: \(spec.joint) needs hard labels") }
        return labels
    }
}
