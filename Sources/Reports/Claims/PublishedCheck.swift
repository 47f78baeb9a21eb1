import Foundation

/// Judges a published number in one setting: our mean's 95 % t-interval against it, per condition of our runs.
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

    /// Whether the arm has runs on generated data of this setting: never compared with the
    /// published number, but named in the "not run" line so no one thinks them missing.
    var hasRunsOnGeneratedData: Bool {
        let observed = ArmObservations(arm, metric, in: point.setting.onSyntheticData, evidence)
        return !observed.isEmpty || !observed.withoutMetric.isEmpty
    }

    /// "; the runs on generated data (synthetic CIFAR-10-LT IF 100) are never compared with a
    /// published number", or "" when `settings` is empty.
    static func generatedDataNote(_ settings: [Setting]) -> String {
        settings.isEmpty ? "" : "; the runs on generated data (" + settings.map { $0.onSyntheticData.description }.joined(separator: ", ")
            + ") are never compared with a published number"
    }

    /// One verdict per condition of the arm's runs in the setting (runs of different conditions
    /// are never pooled): the condition with the most runs first, ties by longer schedule, then by
    /// the condition's description, so the order never depends on the store's.
    func verdicts() -> [ClaimVerdict] {
        let observed = ArmObservations(arm, metric, in: point.setting, evidence)
        guard !observed.isEmpty else {
            let why = observed.withoutMetric.isEmpty
                ? "no \(arm.label) run (\(ClaimText.methods(arm))) in \(point.setting)"
                : "the \(arm.label) runs (\(ClaimText.runs(observed.withoutMetric))) store no `\(observed.metricName)`"
            return [ClaimVerdict(claim: claim, setting: point.setting, verdict: .notRun, effect: nil, interval: nil,
                                 published: point.value, runsA: [], runsB: [], condition: "—", shortened: false,
                                 reason: why + Self.generatedDataNote(hasRunsOnGeneratedData ? [point.setting] : [])
                                    + "; published \(DecimalText.fixed(point.value, 2)) (\(point.source))")]
        }
        let groups = Dictionary(grouping: observed.runs, by: { $0.run.condition }).sorted { x, y in
            if x.value.count != y.value.count { return x.value.count > y.value.count }
            if x.key.epochs != y.key.epochs { return (x.key.epochs ?? 0) > (y.key.epochs ?? 0) }
            return x.key.parts.lexicographicallyPrecedes(y.key.parts)
        }
        let variants = ConditionVariant.names(groups.map(\.key.parts))
        return zip(groups, variants).map { group, variant in
            var verdict = judge(group.value)
            verdict.variant = variant
            return verdict
        }
    }

    /// The runs of one condition: one value per seed (`SeedReplicates`), so runs that share a seed
    /// count once.
    private func judge(_ runs: [(run: ClaimRun, value: Double)]) -> ClaimVerdict {
        let values = SeedReplicates.values(runs, seed: { $0.run.seed }, value: { $0.value }).compactMap { $0 }
        let mean = values.reduce(0, +) / Double(values.count)
        let effect = mean - point.value
        let interval = EffectInterval.oneSample(values, minus: point.value)
        var reason = "ours \(ClaimText.number(mean, metric)) (mean of \(ClaimText.sampleSize(seeds: [values.count], runs: [runs.count], noun: false))) − published "
            + "\(ClaimText.number(point.value, metric)) = \(ClaimText.signed(effect, metric)) points"
        let verdict: ClaimVerdict.Verdict
        if let interval {
            verdict = ClaimText.verdict(oriented: interval.low, interval.high, margin: margin)
            reason += ", 95 % interval [\(ClaimText.signed(interval.low, metric)), \(ClaimText.signed(interval.high, metric))]"
        } else {
            verdict = .indicative
            reason += "; \(values.count < 2 ? "one seed" : "no spread between the seeds"), so no interval: "
                + (effect + margin >= 0 ? "it is within reach" : "it falls short")
        }
        reason += "; reached means no more than \(ClaimText.number(margin, metric)) below (\(point.source))"
        let shortened = runs.contains { $0.run.condition.isShortened(dataset: point.setting.dataset) }
        return ClaimVerdict(claim: claim, setting: point.setting, verdict: verdict, effect: effect, interval: interval,
                            leaning: ClaimVerdict.Leaning(oriented: effect + margin), published: point.value, runsA: runs.map(\.run), runsB: [],
                            condition: ClaimText.condition([(arm.label, runs.map(\.run))], dataset: point.setting.dataset),
                            shortened: shortened, reason: reason)
    }
}
