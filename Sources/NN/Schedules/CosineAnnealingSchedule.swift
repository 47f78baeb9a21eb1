import Foundation

/// Cosine annealing from `base` to `minimum` over `epochs`, one value per epoch, as PyTorch's
/// `CosineAnnealingLR(T_max: epochs, eta_min: minimum)` stepped after every epoch:
/// lr(e) = minimum + (base − minimum)·(1 + cos(π·e/epochs))/2.
///
/// `stepBeforeFirstEpoch` reproduces the BCE3S authors' code (the `bce3s-paper` recipe), which
/// calls `scheduler.step()` once before epoch 0: every epoch then uses the value of the next
/// one, the first epoch trains below `base`, and the last of `epochs` epochs trains at `minimum`.
public struct CosineAnnealingSchedule: LearningRateSchedule, Equatable {
    public let base: Double
    public let epochs: Int
    public let minimum: Double
    public let stepBeforeFirstEpoch: Bool

    public init(base: Double, epochs: Int, minimum: Double = 0, stepBeforeFirstEpoch: Bool = false) {
        precondition(epochs > 0, "cosine annealing needs a positive number of epochs")
        self.base = base
        self.epochs = epochs
        self.minimum = minimum
        self.stepBeforeFirstEpoch = stepBeforeFirstEpoch
    }

    public func learningRate(epoch: Int, step: Int, stepsPerEpoch: Int) -> Double {
        checkTrainingPosition(epoch: epoch, step: step, stepsPerEpoch: stepsPerEpoch)
        let position = Double(epoch + (stepBeforeFirstEpoch ? 1 : 0))
        return minimum + (base - minimum) * (1 + cos(Double.pi * position / Double(epochs))) / 2
    }
}
