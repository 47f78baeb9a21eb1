/// Linear warm-up, then the base rate scaled by a factor from each milestone epoch on.
///
/// `WarmupMultiStepSchedule.ldam(base: 0.1)` is LDAM-DRW's `adjust_learning_rate`
/// (the `ldam` recipe, METHOD.md §4): during epochs 0…4 the rate is base·(e+1)/5, then base,
/// base·0.01 from epoch 160 and base·0.0001 from epoch 180 (of 200).
public struct WarmupMultiStepSchedule: LearningRateSchedule, Equatable {
    /// From `epoch` on (0-based) the rate is base · `factor` (factors are not cumulative).
    public struct Milestone: Equatable, Sendable {
        public let epoch: Int
        public let factor: Double

        public init(epoch: Int, factor: Double) {
            self.epoch = epoch
            self.factor = factor
        }
    }

    /// How finely the warm-up ramp moves.
    public enum WarmupGranularity: Equatable, Sendable {
        /// One value per epoch, base·(e+1)/W — LDAM-DRW's behaviour.
        case perEpoch
        /// One value per step, base·(e·S+s+1)/(W·S) — reaches the same values at epoch ends.
        case perStep
    }

    public let base: Double
    public let warmupEpochs: Int
    public let warmup: WarmupGranularity
    public let milestones: [Milestone]

    public init(base: Double, warmupEpochs: Int, warmup: WarmupGranularity = .perEpoch, milestones: [Milestone]) {
        precondition(warmupEpochs >= 0, "warm-up epochs must be non-negative")
        precondition(zip(milestones, milestones.dropFirst()).allSatisfy { $0.epoch < $1.epoch },
                     "milestones must be in increasing epoch order")
        self.base = base
        self.warmupEpochs = warmupEpochs
        self.warmup = warmup
        self.milestones = milestones
    }

    /// The `ldam` recipe: 5 warm-up epochs, ×0.01 from epoch 160, ×0.0001 from epoch 180.
    public static func ldam(base: Double = 0.1, warmup: WarmupGranularity = .perEpoch) -> Self {
        Self(base: base, warmupEpochs: 5, warmup: warmup,
             milestones: [Milestone(epoch: 160, factor: 0.01), Milestone(epoch: 180, factor: 0.0001)])
    }

    public func learningRate(epoch: Int, step: Int, stepsPerEpoch: Int) -> Double {
        checkTrainingPosition(epoch: epoch, step: step, stepsPerEpoch: stepsPerEpoch)
        if epoch < warmupEpochs {
            switch warmup {
            case .perEpoch:
                return base * Double(epoch + 1) / Double(warmupEpochs)
            case .perStep:
                return base * Double(epoch * stepsPerEpoch + step + 1) / Double(warmupEpochs * stepsPerEpoch)
            }
        }
        let factor = milestones.last { $0.epoch <= epoch }?.factor ?? 1
        return base * factor
    }
}
