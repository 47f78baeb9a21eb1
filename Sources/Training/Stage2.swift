import Foundation
import Tensor
import NN
import Methods
import Datasets

/// BCE3S's stage 2 (METHOD.md §3): the backbone is frozen (no gradient; BN stays in training
/// mode as in the authors' code, so its running statistics still move), only the normalised
/// head's W and b are trained with the class-balanced partial BCE (SGD, cosine schedule), and
/// after every epoch MaxNorm projects W with τ_W fixed before stage 2.
struct Stage2 {
    let job: TrainingJob
    let data: TrainingData
    let model: TrainingModel
    let head: NormalizedHead

    init(job: TrainingJob, data: TrainingData, model: TrainingModel) throws {
        guard let head = model.objective.head as? NormalizedHead else {
            throw ConfigError(source: "recipe", field: "stage2_epochs", message: "stage 2 needs the normalised head")
        }
        self.job = job
        self.data = data
        self.model = model
        self.head = head
    }

    /// SGD on the head only (stage-2 momentum and weight decay).
    static func optimizer(_ model: TrainingModel, _ recipe: Recipe) -> SGD {
        SGD(groups: [ParameterGroup(parameters: model.objective.head.parameters.map { ("classifier." + $0.name, $0.tensor) },
                                    weightDecay: recipe.stage2WeightDecay)],
            momentum: recipe.stage2Momentum)
    }

    /// Trains the remaining stage-2 epochs, saving the state after each; false if `epochLimit` stopped it.
    /// `resumed` is the optimiser restored from a checkpoint taken inside stage 2.
    func run(state: inout RunState, resumed: SGD?, identity: [String: String], workDirectory: URL, progress: TrainingProgress,
             epochLimit: Int?) throws -> Bool {
        let recipe = job.recipe
        let first = recipe.epochs
        let optimizer = resumed ?? Self.optimizer(model, recipe)
        if state.maxNormThreshold == nil { state.maxNormThreshold = MaxNorm(weight: head.weight, fraction: recipe.maxNormFraction).threshold }
        let maxNorm = MaxNorm(threshold: state.maxNormThreshold!)
        let loss = Stage2Loss(classCounts: data.classCounts, beta: recipe.stage2Beta, negativeRatio: recipe.stage2NegativeRatio,
                              clamp: job.method.logitClamp, negativeWeight: job.method.negativeWeight)
        let schedule = CosineAnnealingSchedule(base: recipe.stage2LearningRate, epochs: recipe.stage2Epochs)
        let augmentation: AugmentationPipeline = recipe.augmentation == .bce3s ? .bce3s : .standard
        let loader = BatchLoader(images: data.train, batchSize: recipe.stage2BatchSize, augmentation: augmentation,
                                 order: .shuffled, seed: Seeds.derive(job.seed, Seeds.stage2Loader))
        while state.epochsDone < first + recipe.stage2Epochs {
            if let epochLimit, state.epochsDone >= epochLimit { return false }
            let epoch = state.epochsDone - first, start = Date()
            let batches = loader.epoch(epoch), steps = loader.batchesPerEpoch
            var lossSum = 0.0
            for step in 0..<steps {
                guard var batch = batches.next() else { break }
                let features = Tensor.withoutRecording {
                    model.backbone(Tensor(shape: [batch.count, 3, 32, 32], scalars: batch.images), training: true)
                }
                var draws = SeededGenerator(seed: Seeds.derive(job.seed, Seeds.lossDraws, epoch: first + epoch, step: step))
                let value = loss(logits: head.logits(features), labels: batch.labels, generator: &draws)
                guard value.item().isFinite else { throw TrainingError.nonFiniteLoss(epoch: first + epoch, step: step, terms: "stage 2") }
                optimizer.zeroGrad()
                value.backward()
                optimizer.step(learningRate: schedule.learningRate(epoch: epoch, step: step, stepsPerEpoch: steps))
                lossSum += Double(value.item())
                let elapsed = Date().timeIntervalSince(start)
                progress.step(StepStatus(stage: 2, epoch: epoch, epochs: recipe.stage2Epochs, step: step, steps: steps,
                                         loss: lossSum / Double(step + 1), imagesPerSecond: Double((step + 1) * batch.count) / elapsed,
                                         secondsLeft: elapsed / Double(step + 1) * Double(steps * (recipe.stage2Epochs - epoch) - step - 1)))
                batches.recycle(&batch)
            }
            maxNorm.project(head.weight)
            var record = EpochRecord(stage: 2, epoch: epoch, loss: lossSum / Double(steps), terms: [:],
                                     learningRate: schedule.learningRate(epoch: epoch), seconds: Date().timeIntervalSince(start))
            if recipe.evalEvery > 0 && ((epoch + 1) % recipe.evalEvery == 0 || epoch + 1 == recipe.stage2Epochs) {
                record.testTop1 = model.evaluate(data.test, batchSize: recipe.evalBatchSize, classCounts: data.classCounts,
                                                 rule: job.shotRule, flip: false).top1
            }
            state.history.append(record)
            state.epochsDone += 1
            try state.save(model: model, optimizer: optimizer, identity: identity, in: workDirectory)
            progress.epochFinished(record, epochs: recipe.stage2Epochs)
        }
        return true
    }
}
