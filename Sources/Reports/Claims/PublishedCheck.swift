import Foundation

/// Judges a published number in one setting: our mean's 95 % t-interval against it.
struct PublishedCheck {
    let claim: Claim
    let arm: ClaimArm
    let metric: ClaimMetric
    let point: PublishedPoint
    let margin: Double
    let evidence: ClaimEvidence

    /// Whether any run of the arm exists in the setting (with the metric or without).
    var hasRuns: Bool {
        let observed = ArmObservations(arm, metric, in: point.setting, evidence)
        return !observed.isEmpty || !observed.withoutMetric.isEmpty
    }

    func verdict() -> ClaimVerdict {
        let observed = ArmObservations(arm, metric, in: point.setting, evidence)
        guard !observed.isEmpty else {
            let why = observed.withoutMetric.isEmpty
                ? "no \(arm.label) run (\(ClaimText.methods(arm))) in \(point.setting)"
                : "the \(arm.label) runs (\(ClaimText.runs(observed.withoutMetric))) store no `\(observed.metricName)`"
            return ClaimVerdict(claim: claim, setting: point.setting, verdict: .notRun, effect: nil, interval: nil,
                                published: point.value, runsA: [], runsB: [], condition: "—", shortened: false,
                                reason: why + String(format: "; published %.2f (%@)", point.value, point.source))
        }
        // Runs of different conditions are never pooled: the most common condition is judged, and
        // the others are named.
        let groups = Dictionary(grouping: observed.runs, by: { $0.run.condition })
            .sorted { ($0.value.count, $1.key.epochs ?? 0) > ($1.value.count, $0.key.epochs ?? 0) }
        let runs = groups[0].value
        let values = runs.map(\.value)
        let mean = values.reduce(0, +) / Double(values.count)
        let effect = mean - point.value
        let interval = EffectInterval.oneSample(values, minus: point.value)
        var reason = "ours \(ClaimText.number(mean, metric)) (mean of \(values.count)) − published "
            + "\(ClaimText.number(point.value, metric)) = \(ClaimText.signed(effect, metric)) points"
        let verdict: ClaimVerdict.Verdict
        if let interval {
            verdict = ClaimText.verdict(oriented: interval.low, interval.high, margin: margin)
            reason += ", 95 % interval [\(ClaimText.signed(interval.low, metric)), \(ClaimText.signed(interval.high, metric))]"
        } else {
            verdict = .indicative
            reason += "; one seed, so no interval: " + (effect + margin >= 0 ? "it is within reach" : "it falls short")
        }
        reason += "; reached means no more than \(ClaimText.number(margin, metric)) below (\(point.source))"
        if groups.count > 1 {
            reason += "; not pooled with runs of other settings: " + groups.dropFirst().map { ClaimText.runs($0.value.map(\.run)) }.joined(separator: ", ")
        }
        let shortened = runs.contains { $0.run.condition.isShortened(dataset: point.setting.dataset) }
        return ClaimVerdict(claim: claim, setting: point.setting, verdict: verdict, effect: effect, interval: interval,
                            published: point.value, runsA: runs.map(\.run), runsB: [],
                            condition: ClaimText.condition([(arm.label, runs.map(\.run))], dataset: point.setting.dataset),
                            shortened: shortened, reason: reason)
    }
}
