import Foundation

/// The claims judged on a set of runs: one verdict per claim and setting (see `ClaimVerdict`).
///
/// A comparison pairs runs of the two sides in the same dataset and imbalance, with the same
/// epochs, backbone, subset policy and precision (and recipe, for ablations); runs of other
/// settings are never compared. With ≥ 2 seeds per side the difference of means gets Welch's 95 %
/// t-interval (two values of the same runs, such as stage 2 against its own stage-1 model: the
/// paired interval over seeds); a published number is compared with our mean's 95 % t-interval.
public struct ClaimLedger: Equatable {
    public let verdicts: [ClaimVerdict]

    public init(evidence: ClaimEvidence, claims: [Claim] = ClaimCatalog.claims) {
        verdicts = claims.flatMap { Self.judge($0, evidence) }
    }

    /// How many verdicts of each kind, in `Verdict.allCases` order, omitting zeros, the indicative
    /// ones split by leaning: "2 supported, 3 indicative (2 for, 1 against), 3 not run".
    public var countsText: String {
        let parts = ClaimVerdict.Verdict.allCases.compactMap { verdict -> String? in
            let matching = verdicts.filter { $0.verdict == verdict }
            guard !matching.isEmpty else { return nil }
            var text = "\(matching.count) \(verdict.rawValue)"
            if verdict == .indicative {
                let leanings = ClaimVerdict.Leaning.allCases.compactMap { leaning -> String? in
                    let count = matching.filter { $0.leaning == leaning }.count
                    return count == 0 ? nil : "\(count) \(leaning.rawValue)"
                }
                text += " (\(leanings.joined(separator: ", ")))"
            }
            return text
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
            let perCheck = checks.map { $0.verdicts() }
            // Settings without any run of the arm are named together in one line.
            let untouched = checks.filter { !$0.hasRuns }
            guard untouched.count > 1 else { return perCheck.flatMap { $0 } }
            let settings = untouched.map(\.point)
            var line = ClaimVerdict(
                claim: claim, setting: nil, verdict: .notRun, effect: nil, interval: nil, published: nil, runsA: [], runsB: [],
                condition: "—", shortened: false,
                reason: "no \(arm.label) run (\(ClaimText.methods(arm))) in " + settings.map(\.setting.description).joined(separator: ", ")
                    + PublishedCheck.generatedDataNote(untouched.filter(\.hasRunsOnGeneratedData).map(\.point.setting))
                    + "; published " + settings.map { ClaimText.number($0.value, metric) }.joined(separator: ", ")
                    + " (\(Set(settings.map(\.source)).sorted().joined(separator: "; ")))")
            line.missingSettings = settings.map(\.setting)
            var kept: [ClaimVerdict] = []
            for (check, verdicts) in zip(checks, perCheck) {
                if !check.hasRuns {
                    if check.point == settings[0] { kept.append(line) }
                } else {
                    kept += verdicts
                }
            }
            return kept
        }
    }
}
