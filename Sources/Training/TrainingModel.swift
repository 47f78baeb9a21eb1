import Foundation
import Tensor
import NN
import Methods
import Datasets

/// What a run trains: the backbone (a CIFAR ResNet returning the penultimate feature) and the
/// method's `Objective` (head, projection, memory), built deterministically from the job's seed.
final class TrainingModel {
    let backbone: ResNet
    let objective: Objective

    init(job: TrainingJob, classCounts: [Int]) throws {
        backbone = ResNet(job.recipe.model.configuration, seed: job.seed)
        backbone.precision = job.recipe.convolutionPrecision
        var generator = SeededGenerator(seed: Seeds.derive(job.seed, Seeds.head))
        objective = try Objective(spec: job.method, featureDimension: backbone.featureDimension, classCounts: classCounts,
                                  generator: &generator)
    }

    /// Trainable tensors: backbone parameters (PyTorch names) then the objective's (`classifier.…`, `projector.…`).
    var parameters: [NamedTensor] { backbone.namedParameters + objective.parameters }

    /// Every float tensor a checkpoint must hold: backbone state (with BN running statistics),
    /// the objective's parameters and buffers (the contrastive memory).
    var stateTensors: [NamedTensor] { backbone.stateTensors + objective.parameters + objective.buffers }

    /// Saves the model alone (final weights) as a PyTorch-loadable safetensors file, atomically.
    /// The CIFAR ResNets (LDAM-DRW's family: `resnet32`, `small`) name their head as LDAM-DRW's
    /// `resnet32()` does, `linear.weight` / `linear.bias`, so that a linear-head model (CE, Focal,
    /// Balanced Softmax) loads with `load_state_dict(strict=True)`; ResNet-34-CIFAR keeps
    /// `classifier.…`. (The resumable `state.safetensors` keeps the internal names.)
    func saveWeights(to url: URL, metadata: [String: String]) throws {
        let headPrefix = backbone.configuration.projectionShortcuts ? Self.classifierPrefix : Self.ldamHeadPrefix
        let tensors = stateTensors.map { entry -> NamedTensor in
            guard entry.name.hasPrefix(Self.classifierPrefix) else { return entry }
            return (headPrefix + entry.name.dropFirst(Self.classifierPrefix.count), entry.tensor)
        }
        try Checkpoint.save(tensors, counters: backbone.batchNormCounters, metadata: metadata, to: url)
    }

    /// The head's prefix in `Objective.parameters` and in checkpoints of ResNet-34-CIFAR.
    static let classifierPrefix = "classifier."
    /// The head's prefix in LDAM-DRW's CIFAR ResNets (`self.linear`).
    static let ldamHeadPrefix = "linear."
}

/// Purposes of the seeded random streams a run derives from its seed, so that they never overlap.
enum Seeds {
    static let head: UInt64 = 0x4845_4144
    static let trainLoader: UInt64 = 0x4C4F_4144
    static let instanceLoader: UInt64 = 0x494E_5354
    static let mixing: UInt64 = 0x4D49_5845
    static let lossDraws: UInt64 = 0x4C4F_5353
    static let stage2Loader: UInt64 = 0x5354_4732

    /// An independent 64-bit seed for `purpose` at position (`epoch`, `step`).
    static func derive(_ seed: UInt64, _ purpose: UInt64, epoch: Int = 0, step: Int = 0) -> UInt64 {
        var rng = SplitMix64(seed: seed, stream: purpose, UInt64(epoch), UInt64(step))
        return rng.next()
    }
}
