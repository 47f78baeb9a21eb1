import Foundation
import Store

/// One finished training run as the `train_result` view shows it, top-1 figures in %.
public struct TrainResult: Equatable {
    public var setting: Setting
    public var method: String
    public var seed: Int
    public var top1: Double?
    public var many: Double?, medium: Double?, few: Double?
    public var model: String?, policy: String?, recipe: String?
    public var epochs: Int?
    public var precision: String?
    /// Stage-2 epochs (nil or 0: none) and the step's overrides (`RunCondition.overrides`).
    public var stage2Epochs: Int? = nil
    public var overrides: [String] = []

    /// What runs must share to sit in one table cell (`RunCondition.parts`): epochs, stage 2,
    /// recipe, backbone, subset, precision, overrides.
    var conditionParts: [String] { condition.parts }

    /// The run's condition (fields it did not record read "not recorded"; precision fp32).
    var condition: RunCondition {
        let unknown = "not recorded"
        return RunCondition(epochs: epochs, stage2Epochs: stage2Epochs, recipe: recipe ?? unknown, model: model ?? unknown,
                            policy: policy ?? unknown, precision: precision ?? "fp32", overrides: overrides)
    }
}

/// Geometry metrics of one analysed run (METHOD.md §6), by metric name.
public struct GeometryResult: Equatable {
    public var setting: Setting
    public var method: String
    public var seed: Int
    public var metrics: [String: Double]
    /// The condition of the analysed model's train step (`TrainResult.conditionParts`); empty when unknown.
    public var conditionParts: [String] = []
}

/// Reads what the tables need from the store (read-only queries).
public enum StoredResults {
    /// Every succeeded train step from the `train_result` view; its recipe comes from `params_json`.
    /// With `steps`, only the train steps with those cache keys (a table step's inputs).
    /// A run with stage 2 also yields its stage-1 model (metrics `stage1_top1`, `stage1_many`, …) as
    /// a result of its own, under `stageOneName(method)`, so the tables show BCE3S with and without
    /// stage 2 (runs stored before the stage-1 shot groups were recorded have its top-1 alone).
    public static func trainResults(in store: ExperimentStore, steps: Set<String>? = nil) throws -> [TrainResult] {
        let synthetic = try store.keysOfStepsOnSyntheticData()
        return try store.trainResultRows().flatMap { row -> [TrainResult] in
            guard let dataset = row.dataset, let imbalance = row.imbalance, let method = row.method,
                  steps?.contains(row.key) ?? true else { return [] }
            func value(_ name: TrainMetricName?) -> Double? { name.flatMap { row.accuracies[$0] } }
            let condition = ClaimEvidence.condition(ClaimEvidence.object(row.paramsJSON))
            var result = TrainResult(setting: Setting(dataset, imbalance, synthetic: synthetic.contains(row.key)), method: method, seed: row.seed ?? 0,
                                     model: row.model, policy: row.policy, recipe: row.recipe, epochs: row.epochs,
                                     precision: row.precision, stage2Epochs: condition.stage2Epochs, overrides: condition.overrides)
            (result.top1, result.many, result.medium, result.few) = (value(.top1), value(.many), value(.medium), value(.few))
            guard let stageOne = value(.stage1Top1) else { return [result] }
            var before = result
            before.method = stageOneName(method)
            (before.top1, before.many, before.medium, before.few) = (stageOne, value(.stage1Many), value(.stage1Medium), value(.stage1Few))
            return [before, result]
        }
    }

    /// The parts of a train step's condition (`ClaimEvidence.condition`, `RunCondition.parts`) from
    /// its parameters; empty without them.
    static func conditionParts(trainParamsJSON json: String?) -> [String] {
        guard json != nil else { return [] }
        return ClaimEvidence.condition(ClaimEvidence.object(json)).parts
    }

    /// The table name of a stage-2 run's stage-1 model: `bce3s+stage2` → `bce3s (before stage 2)`.
    public static func stageOneName(_ method: String) -> String {
        (method.hasSuffix("+stage2") ? String(method.dropLast("+stage2".count)) : method) + " (before stage 2)"
    }

    /// Metrics without epoch or class of the succeeded steps of kind `kind` in `split`
    /// (the analysis step records `GeometryReport.metrics` this way), grouped per step.
    /// With `steps`, only the steps with those cache keys.
    public static func geometryResults(in store: ExperimentStore, kind: String = "analyse", split: MetricSplit = .test,
                                       steps: Set<String>? = nil) throws -> [GeometryResult] {
        var byStep: [String: GeometryResult] = [:]
        var order: [String] = []
        let synthetic = try store.keysOfStepsOnSyntheticData()
        let modelConditions = Dictionary(try store.succeededSteps(kinds: [kind]).map { entry in
            (entry.step.key, conditionParts(trainParamsJSON: entry.modelParamsJSON))
        }) { first, _ in first }
        for row in try store.labelledFinalMetrics(kind: kind, split: split) {
            guard let dataset = row.dataset, let imbalance = row.imbalance, let method = row.method,
                  steps?.contains(row.key) ?? true else { continue }
            if byStep[row.key] == nil {
                order.append(row.key)
                byStep[row.key] = GeometryResult(setting: Setting(dataset, imbalance, synthetic: synthetic.contains(row.key)), method: method, seed: row.seed ?? 0, metrics: [:],
                                                 conditionParts: modelConditions[row.key] ?? [])
            }
            byStep[row.key]?.metrics[row.name] = row.value
        }
        return order.compactMap { byStep[$0] }
    }
}

/// Mean and sample standard deviation (n − 1) over seeds.
struct SeedSummary: Equatable {
    let mean: Double
    let std: Double?
    let count: Int

    init?(_ values: [Double?]) {
        let present = values.compactMap { $0 }.filter(\.isFinite)
        guard !present.isEmpty else { return nil }
        count = present.count
        mean = present.reduce(0, +) / Double(count)
        let m = mean
        std = count > 1 ? (present.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(count - 1)).squareRoot() : nil
    }

    /// "88.90 ± 0.21" (no ± with one seed).
    func formatted(decimals: Int = 2) -> String {
        let head = DecimalText.fixed(mean, decimals)
        return std.map { head + " ± " + DecimalText.fixed($0, decimals) } ?? head
    }
}
