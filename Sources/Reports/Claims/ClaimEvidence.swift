import Foundation
import Store

/// One train or analyse step a claim can rest on: its method, setting, condition and final
/// test-split metrics (without epoch or class).
public struct ClaimRun: Equatable {
    public var key: String
    public var name: String
    public var method: String
    public var setting: Setting
    public var seed: Int
    public var condition: RunCondition
    public var metrics: [String: Double]

    public init(key: String, name: String, method: String, setting: Setting, seed: Int = 0, condition: RunCondition,
                metrics: [String: Double]) {
        self.key = key; self.name = name; self.method = method; self.setting = setting; self.seed = seed
        self.condition = condition; self.metrics = metrics
    }

    /// "train-ce [fa692533730e]".
    public var label: String { "\(name) [\(key.prefix(12))]" }
}

/// The train runs and analyses the ledger judges the claims on.
public struct ClaimEvidence: Equatable {
    public var runs: [ClaimRun]
    public var analyses: [ClaimRun]

    public init(runs: [ClaimRun], analyses: [ClaimRun] = []) { (self.runs, self.analyses) = (runs, analyses) }

    /// Succeeded train and analyse steps of `store`. With `steps`, only those cache keys, each named
    /// as given (its name in the pipeline asking: a step another pipeline computed first is stored
    /// under that pipeline's name). An analysis takes its condition from the train step of its
    /// `model` input.
    public init(store: ExperimentStore, steps: [String: String]? = nil) throws {
        var runs: [ClaimRun] = [], analyses: [ClaimRun] = []
        let synthetic = try store.keysOfStepsOnSyntheticData()
        for entry in try store.succeededSteps(kinds: ["train", "analyse"]) {
            let step = entry.step
            guard steps.map({ $0[step.key] != nil }) ?? true else { continue }
            let params = Self.object(step.paramsJSON)
            let trainParams = step.kind == "train" ? params : Self.object(entry.modelParamsJSON)
            guard let dataset = params["dataset"] as? String, let imbalance = (params["imbalance"] as? NSNumber)?.doubleValue,
                  let method = params["method"] as? String else { continue }
            let metrics = try store.finalMetrics(ofStep: step.key, split: .test)
            let setting = Setting(dataset, imbalance, synthetic: synthetic.contains(step.key))
            let run = ClaimRun(key: step.key, name: steps?[step.key] ?? step.name, method: method, setting: setting,
                               seed: (params["seed"] as? NSNumber)?.intValue ?? 0, condition: Self.condition(trainParams),
                               metrics: Dictionary(metrics.map { ($0.name, $0.value) }) { first, _ in first })
            if step.kind == "train" { runs.append(run) } else { analyses.append(run) }
        }
        self.init(runs: runs, analyses: analyses)
    }

    /// A train step's condition from its parameters (`precision` as a parameter or in `set_recipe`).
    static func condition(_ params: [String: Any]) -> RunCondition {
        let recipe = params["set_recipe"] as? [String: Any] ?? [:]
        let unknown = "not recorded"
        return RunCondition(epochs: (params["epochs"] as? NSNumber)?.intValue,
                            stage2Epochs: (params["stage2_epochs"] as? NSNumber)?.intValue,
                            recipe: params["recipe"] as? String ?? unknown, model: params["model"] as? String ?? unknown,
                            policy: params["policy"] as? String ?? unknown,
                            precision: params["precision"] as? String ?? recipe["precision"] as? String ?? "fp32",
                            overrides: RunCondition.overrides(params))
    }

    /// A step's parameters as a dictionary (empty for nil or unreadable JSON).
    static func object(_ json: String?) -> [String: Any] {
        guard let json, let value = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
        return value
    }
}
