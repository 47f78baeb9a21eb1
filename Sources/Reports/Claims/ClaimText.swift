import Foundation

/// Describing runs and their settings in verdict lines.
enum ClaimText {
    static func runs(_ runs: [ClaimRun]) -> String { runs.map(\.label).joined(separator: ", ") }

    static func methods(_ arm: ClaimArm) -> String {
        arm.sources.map { $0.stageOne ? "\($0.method) before stage 2" : $0.method }.joined(separator: " or ")
    }

    static func number(_ value: Double, _ metric: ClaimMetric) -> String {
        DecimalText.fixed(value, metric.isAccuracy ? 2 : 3)
    }

    static func signed(_ value: Double, _ metric: ClaimMetric) -> String {
        (value < 0 ? "−" : "+") + number(abs(value), metric)
    }

    /// "10 epochs — shortened (protocol 200); stage 2: 3 epochs — shortened (protocol 10); recipe ldam; resnet32; ldam subset; fp32",
    /// then the overrides when any side has some ("overrides: BCE3S sampler_power=0.3, CE no overrides").
    static func condition(_ sides: [(label: String, runs: [ClaimRun])], dataset: String) -> String {
        let all = sides.flatMap(\.runs)
        func distinct(_ value: (ClaimRun) -> String?) -> [String] {
            var seen: [String] = []
            for run in all { if let v = value(run), !seen.contains(v) { seen.append(v) } }
            return seen
        }
        var parts: [String] = []
        let epochs = distinct { $0.condition.epochs.map(String.init) }
        let protocolEpochs = distinct { String($0.condition.protocolEpochs(dataset: dataset)) }
        let shortStageOne = all.contains { ($0.condition.epochs ?? .max) < $0.condition.protocolEpochs(dataset: dataset) }
        parts.append((epochs.isEmpty ? "epochs not recorded" : epochs.joined(separator: "/") + " epochs")
                     + (shortStageOne ? " — a shortened schedule (the protocol has \(protocolEpochs.joined(separator: "/")))" : ""))
        let stage2 = distinct { run in run.condition.stage2Epochs.flatMap { $0 > 0 ? String($0) : nil } }
        if !stage2.isEmpty {
            let short = all.contains { ($0.condition.stage2Epochs ?? 0) > 0 && $0.condition.stage2Epochs! < RunCondition.protocolStage2Epochs }
            parts.append("stage 2: \(stage2.joined(separator: "/")) epochs"
                         + (short ? " — shortened (the protocol has \(RunCondition.protocolStage2Epochs))" : ""))
        }
        let recipes = sides.map { side in (side.label, Set(side.runs.map(\.condition.recipe)).sorted().joined(separator: "/")) }
        if Set(recipes.map(\.1)).count <= 1 {
            parts.append("recipe \(recipes.first?.1 ?? "not recorded")")
        } else {
            parts.append("recipes: " + recipes.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        }
        parts.append(distinct { $0.condition.model }.joined(separator: "/"))
        parts.append(distinct { $0.condition.policy }.joined(separator: "/") + " subset")
        parts.append(distinct { $0.condition.precision }.joined(separator: "/"))
        let overrides = sides.map { side in (side.label, Set(side.runs.map(\.condition.overridesText)).sorted().joined(separator: " / ")) }
        if Set(overrides.map(\.1)).count > 1 {
            parts.append("overrides: " + overrides.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        } else if let shared = overrides.first?.1, shared != RunCondition.noOverridesText {
            parts.append("overrides \(shared)")
        }
        return parts.joined(separator: "; ")
    }

    /// A verdict's sample size per side: "1 vs 1 run", "3 vs 3 runs", or "3" without `noun`; when
    /// runs share seeds (`SeedReplicates`), "1 vs 1 seed; 2 vs 1 runs, those sharing a seed averaged".
    static func sampleSize(seeds: [Int], runs: [Int], noun: Bool = true) -> String {
        let joined = { (counts: [Int]) in counts.map(String.init).joined(separator: " vs ") }
        let plural = seeds.reduce(0, +) > seeds.count ? "s" : ""
        guard seeds != runs else { return noun ? "\(joined(seeds)) run\(plural)" : joined(seeds) }
        return "\(joined(seeds)) seed\(plural); \(joined(runs)) runs, those sharing a seed averaged"
    }

    /// How a single difference (one seed) points: `oriented` is the effect in the claimed
    /// direction plus the margin.
    static func pointing(_ oriented: Double) -> String {
        oriented > 0 ? "it points the claimed way" : oriented < 0 ? "it points against the claim" : "it sits exactly on the boundary"
    }

    /// Which side of the boundary an interval or a single difference lies on.
    static func verdict(oriented low: Double, _ high: Double, margin: Double) -> ClaimVerdict.Verdict {
        if low > -margin { return .supported }
        if high < -margin { return .contradicted }
        return .inconclusive
    }
}
