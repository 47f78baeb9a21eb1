/// A learning-rate schedule as a pure function of the position in training.
///
/// Pure, so that resuming from a checkpoint needs only (epoch, step) — no scheduler state to
/// save — and so that tests can compare whole schedules against PyTorch's values.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate for step `step` (0-based) of epoch `epoch` (0-based), an epoch
    /// having `stepsPerEpoch` optimiser steps.
    func learningRate(epoch: Int, step: Int, stepsPerEpoch: Int) -> Double
}

extension LearningRateSchedule {
    /// The learning rate of a schedule that changes only between epochs.
    public func learningRate(epoch: Int) -> Double {
        learningRate(epoch: epoch, step: 0, stepsPerEpoch: 1)
    }
}

func checkTrainingPosition(epoch: Int, step: Int, stepsPerEpoch: Int) {
    precondition(epoch >= 0 && stepsPerEpoch > 0 && (0..<stepsPerEpoch).contains(step),
                 "position epoch \(epoch), step \(step) of \(stepsPerEpoch) is not a training step")
}
