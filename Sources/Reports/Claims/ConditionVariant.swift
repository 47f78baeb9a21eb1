/// Names what sets apart the verdicts of one claim in one setting when they rest on runs of
/// different conditions (one verdict per condition: runs of different conditions are never
/// pooled), so each verdict has its own label in the ledger and in the store.
enum ConditionVariant {
    /// For each condition, given as its parts in a fixed order ("200 epochs", "resnet32", "fp32", …),
    /// the parts in which the conditions differ, joined ("bf16"; "resnet32-glmc, 30 epochs"); nil
    /// for every condition when there is only one.
    static func names(_ conditions: [[String]]) -> [String?] {
        guard conditions.count > 1 else { return conditions.map { _ in nil } }
        let width = conditions.map(\.count).max() ?? 0
        let part = { (parts: [String], index: Int) in parts.indices.contains(index) ? parts[index] : "" }
        let differing = (0..<width).filter { index in Set(conditions.map { part($0, index) }).count > 1 }
        return conditions.map { parts in
            differing.map { index in presetNamed(part(parts, index), among: conditions.map { part($0, index) }) }.joined(separator: ", ")
        }
    }

    /// A condition without overrides (`… no overrides`, after an optional side label) beside
    /// conditions that override fields says which fields it leaves at their preset
    /// ("sampler_power as preset" beside "sampler_power=0.3"), not just that it overrides none.
    static func presetNamed(_ text: String, among texts: [String]) -> String {
        guard text.hasSuffix(RunCondition.noOverridesText) else { return text }
        let label = String(text.dropLast(RunCondition.noOverridesText.count))
        let fields = Set(texts.filter { $0.hasPrefix(label) && !$0.hasSuffix(RunCondition.noOverridesText) }.flatMap { other in
            other.dropFirst(label.count).components(separatedBy: ", ").compactMap { $0.split(separator: "=").first.map(String.init) }
        }).sorted()
        return fields.isEmpty ? text : label + fields.map { "\($0) as preset" }.joined(separator: ", ")
    }
}

extension RunCondition {
    /// The condition as parts in a fixed order: epochs, stage 2, recipe, backbone, subset,
    /// precision, overrides.
    var parts: [String] {
        [epochs.map { "\($0) epochs" } ?? "epochs not recorded",
         (stage2Epochs ?? 0) > 0 ? "stage 2: \(stage2Epochs!) epochs" : "no stage 2",
         "recipe \(recipe)", model, "\(policy) subset", precision, overridesText]
    }

    /// "few_below=21, sampler_power=0.3", or `noOverridesText`.
    var overridesText: String { overrides.isEmpty ? Self.noOverridesText : overrides.joined(separator: ", ") }

    /// `overridesText` without the fields that only stage 2 reads (`stage2_batch_size`, …): what
    /// stage-1 models of one recipe must share to be compared.
    var stageOneOverridesText: String {
        let stageOne = overrides.filter { !$0.hasPrefix("stage2_") }
        return stageOne.isEmpty ? Self.noOverridesText : stageOne.joined(separator: ", ")
    }
    static let noOverridesText = "no overrides"
}
