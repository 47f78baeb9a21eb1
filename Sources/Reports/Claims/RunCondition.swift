import Foundation

/// What makes two runs comparable besides their dataset and imbalance: the training schedule,
/// recipe, backbone, subset policy and numeric precision they were trained with, and every
/// change to the recipe's or the method's preset values. Runs that differ in any of these are
/// never pooled as seeds of one another.
public struct RunCondition: Hashable {
    public var epochs: Int?
    /// Stage-2 epochs (nil or 0: no stage 2).
    public var stage2Epochs: Int?
    public var recipe: String
    public var model: String
    public var policy: String
    /// The train step's `precision` parameter (or `set_recipe`'s); absent means `fp32`.
    public var precision: String
    /// The train step's changes to its presets that change training or its shot groups, as sorted
    /// `name=value` (`sampler_power=0.3`, `few_below=21`): `set_recipe` (but `precision`, kept
    /// above, and the evaluation fields, which change no weight), `set_method`, `many_above`,
    /// `few_below`.
    public var overrides: [String]

    public init(epochs: Int?, stage2Epochs: Int? = nil, recipe: String, model: String, policy: String, precision: String = "fp32",
                overrides: [String] = []) {
        self.epochs = epochs; self.stage2Epochs = stage2Epochs; self.recipe = recipe; self.model = model
        self.policy = policy; self.precision = precision; self.overrides = overrides
    }

    /// `set_recipe` fields that change neither the weights nor the metrics' meaning.
    static let inertRecipeFields: Set<String> = ["eval_every", "eval_batch_size", "precision"]

    /// The overrides of a train step's parameters (see `overrides`).
    static func overrides(_ params: [String: Any]) -> [String] {
        func text(_ value: Any) -> String { (value as? NSNumber).map { "\($0)" } ?? "\(value)" }
        let recipe = (params["set_recipe"] as? [String: Any] ?? [:]).filter { !inertRecipeFields.contains($0.key) }
        let method = params["set_method"] as? [String: Any] ?? [:]
        let shots = params.filter { ["many_above", "few_below"].contains($0.key) }
        return [recipe, method, shots].flatMap { fields in fields.map { "\($0.key)=\(text($0.value))" } }.sorted()
    }

    /// Epochs of the paper's protocol for this recipe and dataset: 320 for the authors' CIFAR-100-LT
    /// recipe, 200 otherwise (METHOD.md §4); stage 2 has 10.
    func protocolEpochs(dataset: String) -> Int { recipe == "bce3s-paper" && dataset == "cifar100" ? 320 : 200 }
    static let protocolStage2Epochs = 10

    /// Whether this run is shorter than the protocol (stage 1 or stage 2).
    func isShortened(dataset: String) -> Bool {
        if let epochs, epochs < protocolEpochs(dataset: dataset) { return true }
        if let stage2 = stage2Epochs, stage2 > 0, stage2 < Self.protocolStage2Epochs { return true }
        return false
    }
}
