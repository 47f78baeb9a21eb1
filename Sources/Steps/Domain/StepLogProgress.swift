import Foundation
import Pipeline
import Training

/// Training progress written to the step's log, so `bce3s run` shows it in its progress lines:
/// a line every `lineEvery` optimiser steps, one per epoch, and the trainer's notes.
final class StepLogProgress: TrainingProgress {
    private let context: StepContext
    private let lineEvery: Int

    init(_ context: StepContext, lineEvery: Int = 20) {
        self.context = context
        self.lineEvery = lineEvery
    }

    func step(_ s: StepStatus) {
        guard (s.step + 1) % lineEvery == 0 || s.step + 1 == s.steps else { return }
        context.log(String(format: "stage %d epoch %d/%d step %d/%d loss %.4f %.0f img/s", s.stage, s.epoch + 1, s.epochs,
                           s.step + 1, s.steps, s.loss, s.imagesPerSecond))
    }

    func epochFinished(_ r: EpochRecord, epochs: Int) {
        var text = String(format: "stage %d epoch %d/%d done: loss %.4f lr %.6g %.1f s", r.stage, r.epoch + 1, epochs,
                          r.loss, r.learningRate, r.seconds)
        if let top1 = r.testTop1 { text += String(format: " test top-1 %.2f%%", 100 * top1) }
        context.log(text)
    }

    func note(_ message: String) { context.log(message) }
}
