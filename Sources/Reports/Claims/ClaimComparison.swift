import Foundation

/// Judges a comparative claim (side a against side b) in every setting where either side has runs.
struct Comparison {
    let claim: Claim
    let a: ClaimArm, b: ClaimArm
    let metric: ClaimMetric
    let direction: ClaimDirection
    let sameRecipe: Bool
    let margin: Double
    let evidence: ClaimEvidence

    /// What two runs must share to be compared (dataset and imbalance are fixed per setting); an
    /// ablation's runs also share recipe and overrides, but for the fields only stage 2 reads: the
    /// ablation compares stage-1 models (a side's runs of different stage-2 settings still get a
    /// verdict each, `conditionGroups`).
    struct PairingKey: Hashable, Comparable {
        var epochs: Int, model: String, policy: String, precision: String, recipe: String, overrides: String
        static func < (x: PairingKey, y: PairingKey) -> Bool {
            (x.epochs, x.model, x.policy, x.precision, x.recipe, x.overrides) < (y.epochs, y.model, y.policy, y.precision, y.recipe, y.overrides)
        }
        /// The key as parts for `ConditionVariant`: epochs, recipe and overrides (when paired on
        /// them), backbone, subset, precision.
        var parts: [String] { ["\(epochs) epochs", recipe.isEmpty ? "" : "recipe \(recipe)", overrides, model, "\(policy) subset", precision] }
    }

    func pairingKey(_ run: ClaimRun) -> PairingKey {
        let c = run.condition
        return PairingKey(epochs: c.epochs ?? -1, model: c.model, policy: c.policy, precision: c.precision,
                          recipe: sameRecipe ? c.recipe : "", overrides: sameRecipe ? c.stageOneOverridesText : "")
    }

    /// One verdict's runs: a pairing key and, on each side, the runs of one full condition (a side
    /// may hold runs of several recipes, stage-2 lengths or overrides under one key; they are
    /// never pooled).
    struct Unit {
        let key: PairingKey
        let a: [(run: ClaimRun, value: Double)], b: [(run: ClaimRun, value: Double)]
    }

    /// `runs` split by full condition: the most runs first, then by the condition's parts.
    static func conditionGroups(_ runs: [(run: ClaimRun, value: Double)]) -> [[(run: ClaimRun, value: Double)]] {
        Dictionary(grouping: runs, by: { $0.run.condition }).sorted { x, y in
            x.value.count != y.value.count ? x.value.count > y.value.count : x.key.parts.lexicographicallyPrecedes(y.key.parts)
        }.map(\.value)
    }

    /// Both sides read the same runs (stage 2 against the same runs before it): a condition is
    /// compared only with itself, never with another condition's runs.
    var comparesRunsWithThemselves: Bool { Set(a.sources.map(\.method)) == Set(b.sources.map(\.method)) }

    /// What a side's condition adds to the pairing key, named by the side, for `ConditionVariant`.
    func sideParts(_ arm: ClaimArm, _ runs: [(run: ClaimRun, value: Double)]) -> [String] {
        let c = runs[0].run.condition
        let stage2 = (c.stage2Epochs ?? 0) > 0 ? "stage 2: \(c.stage2Epochs!) epochs" : "no stage 2"
        return [stage2, "recipe \(c.recipe)", c.overridesText].map { "\(arm.label) \($0)" }
    }

    func verdicts() -> [ClaimVerdict] {
        let methods = Set((a.sources + b.sources).map(\.method))
        let pool = metric.isAccuracy ? evidence.runs : evidence.analyses
        let settings = Set(pool.filter { methods.contains($0.method) }.map(\.setting)).sorted()
        var lines: [ClaimVerdict] = []
        var lacking: [ClaimRun] = []
        var lackingNames: Set<String> = []
        for setting in settings {
            let x = ArmObservations(a, metric, in: setting, evidence), y = ArmObservations(b, metric, in: setting, evidence)
            lacking += x.withoutMetric + y.withoutMetric
            lackingNames.formUnion([x.metricName, y.metricName].filter { !$0.isEmpty })
            if x.isEmpty && y.isEmpty { continue }
            if x.isEmpty || y.isEmpty {
                let (missing, present, observed) = x.isEmpty ? (a, b, y) : (b, a, x)
                let absent = x.isEmpty ? x : y
                let why = absent.withoutMetric.isEmpty
                    ? "no \(missing.label) run (\(ClaimText.methods(missing))) in \(setting)"
                    : "the \(missing.label) runs in \(setting) (\(ClaimText.runs(absent.withoutMetric))) store no `\(absent.metricName)`"
                lines.append(notRun(setting, "\(why); \(present.label) has \(ClaimText.runs(observed.runs.map(\.run)))",
                                    runsA: x.runs.map(\.run), runsB: y.runs.map(\.run)))
                continue
            }
            let groupsA = Dictionary(grouping: x.runs, by: { pairingKey($0.run) })
            let groupsB = Dictionary(grouping: y.runs, by: { pairingKey($0.run) })
            let common = Set(groupsA.keys).intersection(groupsB.keys).sorted()
            if common.isEmpty {
                let describe = { (label: String, runs: [ClaimRun]) in
                    "\(label): " + ClaimText.condition([(label, runs)], dataset: setting.dataset) + " (\(ClaimText.runs(runs)))"
                }
                lines.append(notRun(setting, "no pair of runs in the same setting — runs of different settings are not compared: "
                                    + describe(a.label, x.runs.map(\.run)) + " vs " + describe(b.label, y.runs.map(\.run)),
                                    runsA: x.runs.map(\.run), runsB: y.runs.map(\.run)))
                continue
            }
            let units = common.flatMap { key in
                Self.conditionGroups(groupsA[key]!).flatMap { a in Self.conditionGroups(groupsB[key]!).map { b in Unit(key: key, a: a, b: b) } }
            }.filter { !comparesRunsWithThemselves || $0.a[0].run.condition == $0.b[0].run.condition }
            let variants = ConditionVariant.names(units.map { $0.key.parts + sideParts(a, $0.a) + sideParts(b, $0.b) })
            for (unit, variant) in zip(units, variants) {
                var line = judge(setting, unit.a, unit.b)
                line.variant = variant
                lines.append(line)
            }
        }
        if lines.isEmpty {
            var why = "needs \(a.label) (\(ClaimText.methods(a))) and \(b.label) (\(ClaimText.methods(b))) runs"
            if !claim.paperSettings.isEmpty { why += " (the paper: \(claim.paperSettings.map(\.description).joined(separator: ", ")))" }
            if !lacking.isEmpty {
                var seen = Set<String>()
                lacking = lacking.filter { seen.insert($0.key).inserted }
                why += "; the runs present (\(ClaimText.runs(lacking))) store no `\(lackingNames.sorted().joined(separator: "` or `"))`"
                    + (metric.name.hasSuffix("few") ? " (a setting without Few classes, e.g. CIFAR-10-LT, has none)" : "")
            }
            lines.append(notRun(nil, why, runsA: [], runsB: []))
        }
        return lines
    }

    /// Each side's runs of one condition: one value per seed (`SeedReplicates`), so runs that share
    /// a seed count once. Two values of the same runs (stage 2 against its own stage-1 model) are
    /// paired by seed (`EffectInterval.paired`, over the seeds both sides have); two groups of
    /// runs get Welch's interval.
    func judge(_ setting: Setting, _ x: [(run: ClaimRun, value: Double)], _ y: [(run: ClaimRun, value: Double)]) -> ClaimVerdict {
        let perSeed = { (runs: [(run: ClaimRun, value: Double)]) in
            SeedReplicates.bySeed(runs, seed: { $0.run.seed }, value: { $0.value }).compactMapValues { $0 }
        }
        let seedsA = perSeed(x), seedsB = perSeed(y)
        let paired = comparesRunsWithThemselves
        let seeds = paired ? Set(seedsA.keys).intersection(seedsB.keys).sorted() : []
        let valuesA = paired ? seeds.map { seedsA[$0]! } : seedsA.keys.sorted().map { seedsA[$0]! }
        let valuesB = paired ? seeds.map { seedsB[$0]! } : seedsB.keys.sorted().map { seedsB[$0]! }
        let mean = { (values: [Double]) in values.reduce(0, +) / Double(values.count) }
        let effect = mean(valuesA) - mean(valuesB)
        let sign = direction == .higher ? 1.0 : -1.0
        let interval = paired ? EffectInterval.paired(valuesA, valuesB) : EffectInterval.welch(valuesA, valuesB)
        let runsA = x.map(\.run), runsB = y.map(\.run)
        let verdict: ClaimVerdict.Verdict
        var reason = "\(a.label) − \(b.label) = \(ClaimText.signed(effect, metric))\(metric.isAccuracy ? " points" : "") in `\(metric.name)`"
            + " (mean of \(ClaimText.sampleSize(seeds: [valuesA.count, valuesB.count], runs: [x.count, y.count])))"
        if let interval {
            verdict = ClaimText.verdict(oriented: min(sign * interval.low, sign * interval.high),
                                        max(sign * interval.low, sign * interval.high), margin: margin)
            reason += String(format: ", %@ 95 %% interval [%@, %@], df %.1f", paired ? "paired (same runs, seed by seed)" : "Welch",
                             ClaimText.signed(interval.low, metric), ClaimText.signed(interval.high, metric), interval.degreesOfFreedom)
        } else {
            verdict = .indicative
            let why = min(valuesA.count, valuesB.count) < 2 ? "one seed on a side" : "no spread between the seeds on either side"
            reason += "; \(why), so no interval: " + ClaimText.pointing(sign * effect + margin)
        }
        reason += "; the claim needs it \(direction == .higher ? "above" : "below") \(margin == 0 ? "zero" : ClaimText.signed(-sign * margin, metric))"
        if !claim.paperSettings.isEmpty && !claim.paperSettings.contains(setting) {
            reason += "; tested outside the paper's setting (\(claim.paperSettings.map(\.description).joined(separator: ", ")))"
        }
        let shortened = (runsA + runsB).contains { $0.condition.isShortened(dataset: setting.dataset) }
        return ClaimVerdict(claim: claim, setting: setting, verdict: verdict, effect: effect, interval: interval,
                            leaning: ClaimVerdict.Leaning(oriented: sign * effect + margin), published: nil,
                            runsA: runsA, runsB: runsB,
                            condition: ClaimText.condition([(a.label, runsA), (b.label, runsB)], dataset: setting.dataset),
                            shortened: shortened, reason: reason)
    }

    func notRun(_ setting: Setting?, _ reason: String, runsA: [ClaimRun], runsB: [ClaimRun]) -> ClaimVerdict {
        ClaimVerdict(claim: claim, setting: setting, verdict: .notRun, effect: nil, interval: nil, published: nil,
                     runsA: runsA, runsB: runsB, condition: (runsA + runsB).isEmpty || setting == nil ? "—"
                        : ClaimText.condition([(a.label, runsA), (b.label, runsB)].filter { !$0.1.isEmpty }, dataset: setting!.dataset),
                     shortened: false, reason: reason)
    }
}
