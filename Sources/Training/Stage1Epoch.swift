import Foundation
import Tensor
import NN
import Methods
import Datasets

/// One stage-1 epoch: batches from the shuffled loader (and, with mixing, a second batch from
/// the instance sampler), GLMC mixing, one forward pass, the objective's loss, SGD.
struct Stage1Epoch {
    let job: TrainingJob
    let data: TrainingData
    let model: TrainingModel
    let loader: BatchLoader
    /// The second batch of GLMC mixing: `train.count` draws with replacement, weights ∝ n_c^(−ρ).
    let instanceLoader: BatchLoader?
    let schedule: LearningRateSchedule

    init(job: TrainingJob, data: TrainingData, model: TrainingModel) {
        self.job = job
        self.data = data
        self.model = model
        let recipe = job.recipe
        let augmentation: AugmentationPipeline = recipe.augmentation == .bce3s ? .bce3s : .standard
        loader = BatchLoader(images: data.train, batchSize: recipe.batchSize, augmentation: augmentation, order: .shuffled,
                             seed: Seeds.derive(job.seed, Seeds.trainLoader))
        instanceLoader = job.method.mixing ? BatchLoader(
            images: data.train, batchSize: recipe.batchSize, augmentation: augmentation,
            order: .sampled(InstanceSampler(labels: data.train.labels, classCount: data.classCount, rho: Double(job.method.samplerPower)),
                            count: data.train.count),
            seed: Seeds.derive(job.seed, Seeds.instanceLoader)) : nil
        schedule = recipe.learningRateSchedule
    }

    func train(epoch: Int, optimizer: SGD, progress: TrainingProgress) throws -> EpochRecord {
        let start = Date()
        let steps = loader.batchesPerEpoch
        let batches = loader.epoch(epoch), others = instanceLoader?.epoch(epoch)
        var lossSum = 0.0, termSums: [String: Double] = [:], images = 0
        let firstRate = schedule.learningRate(epoch: epoch, step: 0, stepsPerEpoch: steps)
        for step in 0..<steps {
            guard var batch = batches.next() else { break }
            var other = others?.next()
            let (input, targets) = mixedInput(batch, other, epoch: epoch, step: step)
            let features = model.backbone(Tensor(shape: [input.count / CIFARFormat.imageBytes, 3, 32, 32], scalars: input),
                                          training: true)
            var draws = SeededGenerator(seed: Seeds.derive(job.seed, Seeds.lossDraws, epoch: epoch, step: step))
            let loss = model.objective.loss(features: features, batch: targets, epoch: epoch, epochs: job.recipe.epochs,
                                            generator: &draws)
            let value = loss.total.item()
            guard value.isFinite else {
                throw TrainingError.nonFiniteLoss(epoch: epoch, step: step,
                                                  terms: loss.terms.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                                                      .joined(separator: ", "))
            }
            optimizer.zeroGrad()
            loss.total.backward()
            optimizer.step(learningRate: schedule.learningRate(epoch: epoch, step: step, stepsPerEpoch: steps))
            model.objective.commit(loss)

            lossSum += Double(value)
            for (name, term) in loss.terms { termSums[name, default: 0] += Double(term) }
            images += batch.count
            let elapsed = Date().timeIntervalSince(start)
            progress.step(StepStatus(stage: 1, epoch: epoch, epochs: job.recipe.epochs, step: step, steps: steps,
                                     loss: lossSum / Double(step + 1), imagesPerSecond: Double(images) / elapsed,
                                     secondsLeft: elapsed / Double(step + 1)
                                         * Double(steps * (job.recipe.epochs - epoch) - step - 1)))
            batches.recycle(&batch)
            if other != nil { others?.recycle(&other!) }
        }
        return EpochRecord(stage: 1, epoch: epoch, loss: lossSum / Double(steps), terms: termSums.mapValues { $0 / Double(steps) },
                           learningRate: firstRate, seconds: Date().timeIntervalSince(start), testTop1: nil)
    }

    /// The network input (`[x; x_mixup; x_cutmix]` when mixing, else x) and the loss targets.
    /// λ ~ Beta(1, 1) = U(0, 1) and the CutMix box come from the stream (seed, epoch, step).
    private func mixedInput(_ batch: Batch, _ other: Batch?, epoch: Int, step: Int) -> ([Float], Objective.Batch) {
        guard let other else { return (batch.images, Objective.Batch(labels: batch.labels)) }
        precondition(other.count == batch.count, "Stage1Epoch: instance batch of \(other.count) for \(batch.count) images")
        var rng = SplitMix64(seed: Seeds.derive(job.seed, Seeds.mixing, epoch: epoch, step: step))
        let lambda = rng.nextDouble()
        let box = CutMixBox.sample(lambda: lambda, width: 32, height: 32, rng: &rng)
        let region = ImageBox(rows: box.y1..<box.y2, columns: box.x1..<box.x2)
        let mixup = GLMCMixing.mixup(batch.images, other.images, lambda: Float(lambda))
        let cutmix = GLMCMixing.cutmix(batch.images, other.images, channels: 3, height: 32, width: 32, box: region)
        let cutWeight = GLMCMixing.cutmixWeight(lambda: Float(lambda), box: region, height: 32, width: 32,
                                                rule: job.method.cutmixTarget)
        let k = data.classCount
        return (batch.images + mixup + cutmix,
                Objective.Batch(labels: batch.labels, mixup: .mixed(batch.labels, other.labels, lambda: Float(lambda), classCount: k),
                                cutmix: .mixed(batch.labels, other.labels, lambda: cutWeight, classCount: k)))
    }
}
