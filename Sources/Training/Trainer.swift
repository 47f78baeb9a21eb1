import Foundation
import Tensor
import NN
import Methods
import Datasets

/// Trains one model as `job` says, in a resumable work directory (METHOD.md §3–4).
///
/// The CLI (`bce3s train`) and the pipeline's train step both call `Trainer.run`. The work
/// directory holds `state.safetensors` (replaced atomically after every epoch), then
/// `model.safetensors` and `result.json` when the run is finished. Calling `run` again resumes
/// from the last finished epoch, bit-identical to an uninterrupted run with the same thread
/// count, or returns the stored result of a finished run.
public enum Trainer {
    /// Runs (or resumes) the job on `threads` compute threads (results are bit-identical for a
    /// job and thread count; a checkpoint resumes only with the count that wrote it). With
    /// `epochLimit`, stops after that many finished epochs in total (both stages) and returns
    /// nil if the run is not complete yet.
    public static func run(_ job: TrainingJob, data: TrainingData, workDirectory: URL, threads: Int,
                           progress: TrainingProgress = SilentProgress(), epochLimit: Int? = nil) throws -> TrainingResult? {
        try ComputeThreads.with(threads) {
            try train(job, data: data, workDirectory: workDirectory, threads: threads, progress: progress, epochLimit: epochLimit)
        }
    }

    private static func train(_ job: TrainingJob, data: TrainingData, workDirectory: URL, threads: Int,
                              progress: TrainingProgress, epochLimit: Int?) throws -> TrainingResult? {
        try job.validate()
        if let done = TrainingResult.existing(in: workDirectory, job: job) { return done }
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        let model = try TrainingModel(job: job, classCounts: data.classCounts)
        let identity = try runIdentity(job, data, threads: threads)
        let stage1Epochs = job.recipe.epochs
        let makeOptimizer = { (state: RunState) -> SGD in
            state.epochsDone <= stage1Epochs ? stage1Optimizer(model, job.recipe) : Stage2.optimizer(model, job.recipe)
        }
        var state = RunState(epochsDone: 0, history: [])
        var optimizer = stage1Optimizer(model, job.recipe)
        if let (loaded, sgd) = try RunState.load(into: model, optimizer: makeOptimizer, identity: identity,
                                                 epochs: stage1Epochs + job.recipe.stage2Epochs, from: workDirectory) {
            (state, optimizer) = (loaded, sgd)
            progress.note("resuming \(workDirectory.path) after \(state.epochsDone) epoch(s)")
        }
        let epoch1 = Stage1Epoch(job: job, data: data, model: model)
        while state.epochsDone < stage1Epochs {
            if let epochLimit, state.epochsDone >= epochLimit { return nil }
            let epoch = state.epochsDone
            var record = try epoch1.train(epoch: epoch, optimizer: optimizer, progress: progress)
            if job.recipe.evalEvery > 0 && (epoch + 1) % job.recipe.evalEvery == 0 && epoch + 1 < stage1Epochs {
                record.testTop1 = model.evaluate(data.test, batchSize: job.recipe.evalBatchSize, classCounts: data.classCounts,
                                                 rule: job.shotRule, flip: false).top1
            }
            state.history.append(record)
            state.epochsDone += 1
            if state.epochsDone == stage1Epochs {
                let evaluation = finalEvaluation(model, job, data)
                state.history[state.history.count - 1].testTop1 = evaluation.top1
                state.stage1Evaluation = evaluation
            }
            try state.save(model: model, optimizer: optimizer, identity: identity, in: workDirectory)
            progress.epochFinished(record, epochs: stage1Epochs)
        }
        if job.recipe.stage2Epochs > 0 {
            guard try Stage2(job: job, data: data, model: model)
                .run(state: &state, resumed: state.epochsDone > stage1Epochs ? optimizer : nil, identity: identity, workDirectory: workDirectory, progress: progress, epochLimit: epochLimit)
            else { return nil }
        }
        let evaluation = job.recipe.stage2Epochs > 0 ? finalEvaluation(model, job, data) : state.stage1Evaluation!
        // The final model is evaluated whatever `eval_every` says, so it takes part in the best-on-test selection.
        state.history[state.history.count - 1].testTop1 = evaluation.top1
        return try finish(job, data, model, state, evaluation, workDirectory)
    }

    /// SGD over backbone and objective parameters, weight decay on all of them (both recipes).
    static func stage1Optimizer(_ model: TrainingModel, _ recipe: Recipe) -> SGD {
        SGD(groups: [ParameterGroup(parameters: model.parameters, weightDecay: recipe.weightDecay)], momentum: recipe.momentum)
    }

    static func finalEvaluation(_ model: TrainingModel, _ job: TrainingJob, _ data: TrainingData) -> Evaluation {
        model.evaluate(data.test, batchSize: job.recipe.evalBatchSize, classCounts: data.classCounts, rule: job.shotRule, flip: true)
    }

    /// What a checkpoint must match to be resumed: the job, the training data and the thread count.
    static func runIdentity(_ job: TrainingJob, _ data: TrainingData, threads: Int) throws -> [String: String] {
        ["job": try job.canonicalJSON(), "class_counts": data.classCounts.map(String.init).joined(separator: ","),
         "train_subset_sha256": data.subsetSHA256 ?? "in-memory", "threads": String(threads)]
    }

    private static func finish(_ job: TrainingJob, _ data: TrainingData, _ model: TrainingModel, _ state: RunState,
                               _ evaluation: Evaluation, _ directory: URL) throws -> TrainingResult {
        let weights = directory.appendingPathComponent("model.safetensors")
        try model.saveWeights(to: weights, metadata: ["job": try job.canonicalJSON(), "epochs": String(state.epochsDone)])
        let best = state.history.filter { $0.testTop1 != nil }.max { $0.testTop1! < $1.testTop1! }
        let seconds = state.history.map(\.seconds).reduce(0, +)
        let result = TrainingResult(
            evaluation: evaluation, stage1: job.recipe.stage2Epochs > 0 ? state.stage1Evaluation : nil,
            bestOnTest: best.map { .init(stage: $0.stage, epoch: $0.epoch, top1: $0.testTop1!) }, history: state.history,
            seconds: seconds, secondsPerEpoch: seconds / Double(max(state.history.count, 1)), checkpoint: weights.path,
            job: job, classCounts: data.classCounts)
        try result.write(in: directory)
        return result
    }
}
