import Foundation
import Datasets
import NN
import Pipeline

/// What a downstream step needs of a `train` step's outputs: the weights file and, from its
/// `result.json`, the backbone, method and seed.
struct TrainedModel {
    let weights: URL
    let model: Backbone
    let method: String
    let seed: Int
    let stage2: Bool
    /// The shot-group rule the run was evaluated with.
    let shotRule: ShotGroupRule

    init(_ input: StepInput) throws {
        weights = try input.artifact("model.safetensors")
        let resultURL = try input.artifact("result.json")
        let object = try? JSONSerialization.jsonObject(with: Data(contentsOf: resultURL)) as? [String: Any]
        guard let job = object?["job"] as? [String: Any], let recipe = job["recipe"] as? [String: Any],
              let model = recipe["model"] as? String, let method = job["method_name"] as? String,
              let seed = job["seed"] as? Int, let stage2Epochs = recipe["stage2_epochs"] as? Int else {
            throw StepInputError("\(resultURL.path): expected a training result with job.recipe.model, job.method_name and job.seed")
        }
        guard let backbone = Backbone(rawValue: model) else {
            throw StepInputError("\(resultURL.path): field 'job.recipe.model': \(Backbone.unknownMessage(model))")
        }
        (self.model, self.method, self.seed, stage2) = (backbone, method, seed, stage2Epochs > 0)
        shotRule = ShotGroupRule(manyAbove: job["many_above"] as? Int ?? 100, fewBelow: job["few_below"] as? Int ?? 20)
    }

    /// Whether `label` (a pipeline's `method` parameter) names this model: `bce3s+stage2` for
    /// the preset `bce3s` trained with stage 2, as `TrainStep` labels it.
    func isLabelled(_ label: String) -> Bool { label == method + (stage2 ? TrainStep.stage2Suffix : "") }
}
