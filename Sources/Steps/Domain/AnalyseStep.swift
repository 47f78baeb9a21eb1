import Foundation
import Analysis
import Datasets
import Pipeline
import Store

/// `analyse`: the feature geometry of a trained model (METHOD.md §6). Extracts penultimate
/// features of the training subset and the test set in eval mode (`train_features.npy`,
/// `train_labels.npy`, `test_features.npy`, `test_labels.npy`), stores `GeometryReport` metrics
/// for both splits (split `train` / `test`), and embeds the test features with t-SNE
/// (`tsne.npy`, N × 2, same order as `test_labels.npy`; metric `tsne_kl`) unless `tsne: false`.
///
/// Inputs: `model` (a train step), `data` (its dataset step). `dataset`, `imbalance`, `method`,
/// `seed` are labels for the tables and must agree with the trained model.
struct AnalyseStep: StepKind {
    let name = "analyse"
    let version = 1
    let resources = StepResources.heavy

    func validate(parameters: Parameters, inputNames: [String]) throws {
        try parameters.requireOnly(DatasetChoice.parameterNames.union(["method", "seed", "tsne", "tsne_points",
                                                                       "tsne_iterations", "perplexity"]))
        if parameters["dataset"] != nil || parameters["imbalance"] != nil { _ = try DatasetChoice(parameters) }
        if parameters["method"] != nil { _ = try parameters.string("method") }
        _ = try parameters.optional("seed", default: 0, Parameters.int)
        _ = try parameters.optional("tsne", default: true, Parameters.bool)
        guard try parameters.optional("tsne_points", default: 2000, Parameters.int) >= 10 else {
            throw ParameterError(key: "tsne_points", problem: "expected at least 10 points")
        }
        guard try parameters.optional("tsne_iterations", default: 750, Parameters.int) >= 0 else {
            throw ParameterError(key: "tsne_iterations", problem: "expected >= 0")
        }
        guard try parameters.optional("perplexity", default: 30, Parameters.double) > 0 else {
            throw ParameterError(key: "perplexity", problem: "expected > 0")
        }
        guard inputNames.sorted() == ["data", "model"] else {
            throw StepInputError("'analyse' takes the inputs 'model' (a train step) and 'data' (its dataset step); found \(inputNames)")
        }
    }

    /// The `method` and `seed` given must be those of the train step named as `model` (the run
    /// checks the trained model too, but only after training it).
    func validate(parameters: Parameters, inputs: [String: [(kind: String, parameters: Parameters)]]) throws {
        try InputKinds.require(["model": "train", "data": "dataset"], in: inputs)
        try InputKinds.requireSingle(["data", "model"], in: inputs)
        if parameters["dataset"] != nil { try DatasetChoice.requireSame(parameters, asDataIn: inputs) }
        for model in inputs["model"] ?? [] {
            if parameters["method"] != nil, model.parameters["method"] != nil,
               try parameters.string("method") != model.parameters.string("method") {
                throw ParameterError(key: "method", problem: "'\(try parameters.string("method"))' but input 'model' trains "
                                     + "'\(try model.parameters.string("method"))'")
            }
            if parameters["seed"] != nil,
               try parameters.int("seed") != model.parameters.optional("seed", default: 0, Parameters.int) {
                throw ParameterError(key: "seed", problem: "\(try parameters.int("seed")) but input 'model' trains with seed "
                                     + "\(try model.parameters.optional("seed", default: 0, Parameters.int))")
            }
        }
    }

    func run(_ context: StepContext) throws -> StepResult {
        let p = context.parameters
        let trained = try TrainedModel(try context.input("model"))
        if p["method"] != nil, !trained.isLabelled(try p.string("method")) {
            throw StepInputError("parameter method '\(try p.string("method"))' but input 'model' trained '\(trained.method)'")
        }
        if p["seed"] != nil, try p.int("seed") != trained.seed {
            throw StepInputError("parameter seed \(try p.int("seed")) but input 'model' trained with seed \(trained.seed)")
        }
        let expected = p["dataset"] != nil ? try DatasetChoice(p) : nil
        let data = try TrainingInputs.load(context, expected: expected)
        let extractor = try FeatureExtractor(model: trained.model, weights: trained.weights)
        let out = context.outputDirectory
        var metrics = data.classCounts.enumerated().map { Metric(.classCount, Double($1), classIndex: $0, split: .train) }
        var testFeatures: LabelledFeatures?
        for (split, images) in [(MetricSplit.train, data.train), (.test, data.test)] {
            context.log("features of the \(split.rawValue) set (\(images.count) images)")
            let values = extractor.features(of: images)
            let dimension = extractor.backbone.featureDimension
            try NPYFile.write(values, shape: [images.count, dimension], to: out.appendingPathComponent("\(split.rawValue)_features.npy"))
            try NPYFile.write(images.labels, shape: [images.count], to: out.appendingPathComponent("\(split.rawValue)_labels.npy"))
            let features = try LabelledFeatures(values: values, dimension: dimension, labels: images.labels, classCount: data.classCount)
            let report = try GeometryReport(features: features, trainingCounts: data.classCounts,
                                            groups: trained.shotRule.groups(classCounts: data.classCounts).map(\.rawValue),
                                            classifierWeights: extractor.classifierWeights)
            metrics += report.metrics.map { Metric($0.name, $0.value, split: split) }
            if split == .test { testFeatures = features }
        }
        if let weights = extractor.classifierWeights {
            try NPYFile.write(weights, shape: [data.classCount, weights.count / data.classCount],
                              to: out.appendingPathComponent("classifier_weights.npy"))
        }
        if try p.optional("tsne", default: true, Parameters.bool), let testFeatures {
            metrics += try TSNEEmbedding.embed(testFeatures, parameters: p, into: out, log: context.log)
        }
        return StepResult(metrics: metrics)
    }
}
