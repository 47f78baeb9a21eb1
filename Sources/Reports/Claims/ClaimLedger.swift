import Foundation

/// The claims judged on a set of runs: one verdict per claim and setting (see `ClaimVerdict`).
///
/// A comparison pairs runs of the two sides in the same dataset and imbalance, with the same
/// epochs, backbone, subset policy and precision (and recipe, for ablations); runs of other
/// settings are never compared. With ≥ 2 seeds per side the difference of means gets Welch's 95 %
/// t-interval; a published number is compared with our mean's 95 % t-interval.
public struct ClaimLedger: Equatable {
    public let verdicts: [ClaimVerdict]

    public init(evidence: ClaimEvidence, claims: [Claim] = ClaimCatalog.claims) {
        verdicts = claims.flatMap { Self.judge($0, evidence) }
    }

    /// How many verdicts of each kind, in `Verdict.allCases` order, omitting zeros:
    /// "2 supported, 1 indicative, 3 not run".
    public var countsText: String {
        let parts = ClaimVerdict.Verdict.allCases.compactMap { verdict -> String? in
            let count = verdicts.filter { $0.verdict == verdict }.count
            return count == 0 ? nil : "\(count) \(verdict.rawValue)"
        }
        return parts.isEmpty ? "no claims" : parts.joined(separator: ", ")
    }

    static func judge(_ claim: Claim, _ evidence: ClaimEvidence) -> [ClaimVerdict] {
        switch claim.test {
        case .comparison(let a, let b, let metric, let direction, let sameRecipe, let margin):
            return Comparison(claim: claim, a: a, b: b, metric: metric, direction: direction, sameRecipe: sameRecipe,
                              margin: margin, evidence: evidence).verdicts()
        case .published(let arm, let metric, let values, let margin):
            let checks = values.map { PublishedCheck(claim: claim, arm: arm, metric: metric, point: $0, margin: margin, evidence: evidence) }
            let verdicts = checks.map { $0.verdict() }
            // Settings without any run of the arm are named together in one line.
            let untouched = zip(checks, verdicts).filter { $0.1.verdict == .notRun && !$0.0.hasRuns }
            guard untouched.count > 1 else { return verdicts }
            let settings = untouched.map(\.0.point)
            var line = ClaimVerdict(
                claim: claim, setting: nil, verdict: .notRun, effect: nil, interval: nil, published: nil, runsA: [], runsB: [],
                condition: "—", shortened: false,
                reason: "no \(arm.label) run (\(ClaimText.methods(arm))) in " + settings.map(\.setting.description).joined(separator: ", ")
                    + "; published " + settings.map { ClaimText.number($0.value, metric) }.joined(separator: ", ")
                    + " (\(Set(settings.map(\.source)).sorted().joined(separator: "; ")))")
            line.missingSettings = settings.map(\.setting)
            var kept: [ClaimVerdict] = []
            for (check, verdict) in zip(checks, verdicts) {
                if verdict.verdict == .notRun && !check.hasRuns {
                    if check.point == settings[0] { kept.append(line) }
                } else {
                    kept.append(verdict)
                }
            }
            return kept
        }
    }
}

/// The values of one side of a claim in one setting: runs with the metric, and runs without it.
struct ArmObservations {
    var runs: [(run: ClaimRun, value: Double)] = []
    var withoutMetric: [ClaimRun] = []
    var metricName = ""

    /// The first source of `arm` with the metric in `setting` wins; stage-1 sources read `stage1_<metric>`.
    init(_ arm: ClaimArm, _ metric: ClaimMetric, in setting: Setting, _ evidence: ClaimEvidence) {
        let pool = metric.isAccuracy ? evidence.runs : evidence.analyses
        for source in arm.sources where !(source.stageOne && !metric.isAccuracy) {
            let runs = pool.filter { $0.method == source.method && $0.setting == setting }
            let name = source.stageOne ? "stage1_" + metric.name : metric.name
            let values = runs.compactMap { run in run.metrics[name].flatMap { $0.isFinite ? (run, $0) : nil } }
            if !values.isEmpty { self.runs = values; metricName = name; withoutMetric = []; return }
            withoutMetric += runs
            if metricName.isEmpty, !runs.isEmpty { metricName = name }
        }
    }

    var isEmpty: Bool { runs.isEmpty }
}

/// Describing runs and their settings in verdict lines.
enum ClaimText {
    static func runs(_ runs: [ClaimRun]) -> String { runs.map(\.label).joined(separator: ", ") }

    static func methods(_ arm: ClaimArm) -> String {
        arm.sources.map { $0.stageOne ? "\($0.method) before stage 2" : $0.method }.joined(separator: " or ")
    }

    static func number(_ value: Double, _ metric: ClaimMetric) -> String {
        String(format: metric.isAccuracy ? "%.2f" : "%.3f", value)
    }

    static func signed(_ value: Double, _ metric: ClaimMetric) -> String {
        (value < 0 ? "−" : "+") + number(abs(value), metric)
    }

    /// "10 epochs — shortened (protocol 200); stage 2: 3 epochs — shortened (protocol 10); recipe ldam; resnet32; ldam subset; fp32".
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
        return parts.joined(separator: "; ")
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
