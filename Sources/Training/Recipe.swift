import Methods
import NN
import Tensor

/// How a model is trained (METHOD.md §4): backbone, batch, optimiser, schedule, epochs,
/// augmentation, evaluation and the optional stage 2. Named presets (`Recipe.named`), every
/// field overridable with `ConfigOverrides` (snake_case keys, e.g. `epochs=15`).
public struct Recipe: Codable, Equatable, Sendable, OptionalConfigurationFields {
    /// The learning-rate schedule family.
    public enum Schedule: String, ListedChoice, Sendable {
        /// Linear warm-up, then factors from fractions of the epochs on (LDAM-DRW).
        case warmupMultistep = "warmup_multistep"
        /// Cosine annealing to 0 over the epochs.
        case cosine
    }

    /// The training augmentation.
    public enum Augmentation: String, ListedChoice, Sendable {
        /// Random crop 32 (4-pixel zero padding) + horizontal flip.
        case standard
        /// Crop + flip + AutoAugment (CIFAR-10 policy) + Cutout 16.
        case bce3s
    }

    /// Backbone: `resnet32`, `resnet32-glmc` (GLMC's 4×-wide ResNet-32), `resnet34` (ResNet-34-CIFAR)
    /// or `small` (one block per stage); its
    /// JSON is the name, so the recipe's identity is that of the string it was before it had a type.
    public var model: Backbone
    public var batchSize: Int
    public var epochs: Int
    public var learningRate: Double
    public var momentum: Float
    /// L2 weight decay on every parameter (both recipes decay all of them, BN and biases included).
    public var weightDecay: Float
    public var schedule: Schedule
    /// `warmup_multistep`: warm-up epochs, then from ⌊fraction·epochs⌋ on the rate is base·factor.
    public var warmupEpochs: Int = 5
    public var milestoneFractions: [Double] = [0.8, 0.9]
    public var milestoneFactors: [Double] = [0.01, 0.0001]
    /// `cosine`: the authors step the scheduler once before epoch 0.
    public var cosineStepBeforeFirstEpoch = false
    public var augmentation: Augmentation
    /// Test-set evaluation: batch size, and every how many epochs during training (0: only at
    /// the end). Per-epoch results feed the labelled best-on-test extra, never the main result.
    public var evalBatchSize = 500
    public var evalEvery = 1
    /// Convolution arithmetic (`Precision`): `bf16` for bfloat16 convolutions, nil for fp32.
    /// Nil rather than `.fp32` so that an fp32 recipe encodes exactly as before the field existed
    /// and its checkpoints and results keep their identity; read it through `convolutionPrecision`.
    public var precision: Precision?
    /// Stage 2 (0 epochs: none): frozen backbone, class-balanced partial BCE, MaxNorm.
    public var stage2Epochs = 0
    public var stage2LearningRate: Double = 1e-4
    public var stage2Momentum: Float = 0.9
    public var stage2WeightDecay: Float = 0
    public var stage2BatchSize = 64
    public var stage2Beta: Double = 0.99999
    public var stage2NegativeRatio: Float = 0.4
    public var maxNormFraction: Float = 0.1

    public init(model: Backbone, batchSize: Int, epochs: Int, learningRate: Double, momentum: Float, weightDecay: Float,
                schedule: Schedule, augmentation: Augmentation) {
        self.model = model
        self.batchSize = batchSize
        self.epochs = epochs
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.schedule = schedule
        self.augmentation = augmentation
    }

    /// The precision the convolutions run in (fp32 unless `precision` says bf16).
    public var convolutionPrecision: Precision { precision ?? .fp32 }

    /// `precision` can be overridden although an fp32 recipe leaves it out of its JSON.
    public static var optionalFields: [String: Any] { ["precision": Precision.fp32.rawValue] }

    /// Leaves `precision` nil for fp32, so that naming fp32 explicitly gives the same identity.
    mutating func normalize() {
        if precision == .fp32 { precision = nil }
    }

    /// Every preset, in the order `--help` lists them: `ldam` (the baselines' standard) and
    /// `bce3s-paper` (the authors' CIFAR-100 run).
    public static let presets: [RecipePreset] = [
        RecipePreset(name: "ldam",
                     summary: "ResNet-32, batch 128, SGD 0.1, wd 2e-4, 5 warm-up epochs, ×0.01/×0.0001 from 80%/90%, 200 epochs, crop+flip",
                     recipe: Recipe(model: .resnet32, batchSize: 128, epochs: 200, learningRate: 0.1, momentum: 0.9, weightDecay: 2e-4,
                                    schedule: .warmupMultistep, augmentation: .standard)),
        RecipePreset(name: "bce3s-paper",
                     summary: "ResNet-34-CIFAR, batch 64, SGD 0.01, wd 5e-3, cosine, 320 epochs, crop+flip+AutoAugment+Cutout",
                     recipe: {
                         var recipe = Recipe(model: .resnet34, batchSize: 64, epochs: 320, learningRate: 0.01, momentum: 0.9,
                                             weightDecay: 5e-3, schedule: .cosine, augmentation: .bce3s)
                         recipe.cosineStepBeforeFirstEpoch = true
                         return recipe
                     }()),
    ]

    /// The preset names, in the order `--help` lists them.
    public static var presetNames: [String] { presets.map(\.name) }

    /// The preset called `name`, or a `ConfigError` listing the valid names.
    public static func named(_ name: String) throws -> Recipe {
        guard let preset = presets.first(where: { $0.name == name }) else {
            throw ConfigError(source: "recipe", field: "name",
                              message: "unknown recipe '\(name)'; expected one of \(presetNames.joined(separator: ", "))")
        }
        return preset.recipe
    }

    /// Checks the fields; the error names the field.
    public func validate() throws {
        func fail(_ field: String, _ message: String) -> ConfigError { ConfigError(source: "recipe", field: field, message: message) }
        for (field, value) in [("batch_size", batchSize), ("epochs", epochs), ("eval_batch_size", evalBatchSize),
                               ("stage2_batch_size", stage2BatchSize)] where value < 1 {
            throw fail(field, "expected ≥ 1, got \(value)")
        }
        for (field, value) in [("eval_every", evalEvery), ("warmup_epochs", warmupEpochs), ("stage2_epochs", stage2Epochs)] where value < 0 {
            throw fail(field, "expected ≥ 0, got \(value)")
        }
        if !(learningRate > 0) { throw fail("learning_rate", "expected > 0, got \(learningRate)") }
        if !(stage2LearningRate > 0) { throw fail("stage2_learning_rate", "expected > 0, got \(stage2LearningRate)") }
        for (field, value) in [("momentum", momentum), ("stage2_momentum", stage2Momentum)] where !(0..<1).contains(value) {
            throw fail(field, "expected a value in [0, 1), got \(value)")
        }
        for (field, value) in [("weight_decay", weightDecay), ("stage2_weight_decay", stage2WeightDecay)] where !(value >= 0) {
            throw fail(field, "expected ≥ 0, got \(value)")
        }
        if milestoneFractions.count != milestoneFactors.count {
            throw fail("milestone_factors", "\(milestoneFactors.count) factors for \(milestoneFractions.count) milestone fractions")
        }
        if zip(milestoneFractions, milestoneFractions.dropFirst()).contains(where: { $0 >= $1 }) {
            throw fail("milestone_fractions", "expected increasing fractions, got \(milestoneFractions)")
        }
    }

    /// The stage-1 schedule for `epochs` epochs.
    public var learningRateSchedule: LearningRateSchedule {
        switch schedule {
        case .cosine:
            return CosineAnnealingSchedule(base: learningRate, epochs: epochs, stepBeforeFirstEpoch: cosineStepBeforeFirstEpoch)
        case .warmupMultistep:
            // A short run can map two fractions to one epoch: the later milestone wins there.
            var milestones: [WarmupMultiStepSchedule.Milestone] = []
            for (fraction, factor) in zip(milestoneFractions, milestoneFactors) {
                let milestone = WarmupMultiStepSchedule.Milestone(epoch: Int(fraction * Double(epochs)), factor: factor)
                if milestones.last?.epoch == milestone.epoch { milestones.removeLast() }
                milestones.append(milestone)
            }
            return WarmupMultiStepSchedule(base: learningRate, warmupEpochs: warmupEpochs, milestones: milestones)
        }
    }
}

/// A named recipe (`Recipe.presets`).
public struct RecipePreset: Sendable {
    /// The name pipelines and `--recipe` use.
    public let name: String
    /// One line for `--help`.
    public let summary: String
    public let recipe: Recipe
}
