import Foundation

extension ClaimLedger {
    /// How verdicts are reached, for the top of `claims.md` and the report.
    public static let rule = "With at least 2 seeds per side, a claim is **supported** when Welch's 95 % t-interval on the "
        + "difference of means (for stage 2 against the same runs' stage-1 models, Student's interval on the seed-by-seed "
        + "differences) lies on the claimed side (past the claim's margin, if it has one), **contradicted** when it "
        + "lies on the other side, and **inconclusive** when it straddles the boundary. Runs that share a seed (and "
        + "everything else that changes training) are one seed, their values averaged. With one seed on a side, or seeds "
        + "that all agree, it is only "
        + "**indicative**, with the side its single difference lies on: *for* or *against* the claim. It is **not run** when the runs it needs are absent, or exist only in settings that may not be "
        + "compared (different epochs, backbone, subset policy or precision; or recipe, for ablations). A published number "
        + "is **reached** when our mean's 95 % t-interval lies no more than the margin below it. Published numbers stand "
        + "only beside runs of the same dataset and imbalance factor, and never beside runs on generated data. A verdict "
        + "marked *recipes differ* compares sides trained with different recipes, as the methods were published: the "
        + "difference is the recipe's as much as the method's."

    /// "[−3.20, −0.60]" or "—".
    static func intervalText(_ verdict: ClaimVerdict) -> String {
        guard let interval = verdict.interval else { return "—" }
        let metric = verdict.claim.test.metric
        return "[\(ClaimText.signed(interval.low, metric)), \(ClaimText.signed(interval.high, metric))]"
    }

    /// The verdict, an indicative one with its leaning, and the caveats — a shortened schedule, and
    /// sides trained with different recipes, whose difference is then the recipe's as much as the
    /// method's: "indicative, for (shortened schedule; recipes differ)".
    static func verdictText(_ verdict: ClaimVerdict) -> String {
        var text = verdict.verdict.rawValue
        if verdict.verdict == .indicative, let leaning = verdict.leaning { text += ", \(leaning.rawValue)" }
        let caveats = (verdict.shortened ? ["shortened schedule"] : []) + (verdict.recipesDiffer ? ["recipes differ"] : [])
        return text + (caveats.isEmpty ? "" : " (\(caveats.joined(separator: "; ")))")
    }

    /// Seeds per side: "1 vs 1", "3" (published), "—".
    static func countText(_ verdict: ClaimVerdict) -> String {
        if verdict.runsA.isEmpty && verdict.runsB.isEmpty { return "—" }
        if case .published = verdict.claim.test { return "\(verdict.seedsA)" }
        return "\(verdict.seedsA) vs \(verdict.seedsB)"
    }

    /// The rows of the summary table: id, setting, claim, verdict, effect, interval, n.
    public var summaryRows: [[String]] {
        verdicts.map { v in
            [v.claim.id, v.settingText, v.claim.statement, Self.verdictText(v),
             v.effect.map { ClaimText.signed($0, v.claim.test.metric) } ?? "—", Self.intervalText(v), Self.countText(v)]
        }
    }

    public static let summaryHeader = ["id", "setting", "claim", "verdict", "effect", "95 % interval", "n"]

    /// One line per verdict naming the numbers, the runs (step names and keys) and the setting.
    public func evidenceLine(_ v: ClaimVerdict) -> String {
        let reason = v.reason.prefix(1).uppercased() + v.reason.dropFirst()
        var line = "**\(v.claim.id)\(v.setting.map { ", \($0)" } ?? "") — \(Self.verdictText(v)).** \(reason)."
        if !v.runsA.isEmpty || !v.runsB.isEmpty {
            let labels = v.claim.test.arms.map(\.label)
            let sides = zip(labels, [v.runsA, v.runsB]).filter { !$0.1.isEmpty }
            line += " Runs: " + sides.map { "\($0.0): \(ClaimText.runs($0.1))" }.joined(separator: "; ") + "."
            line += " Setting: \(v.condition)."
        }
        return line + " Source: \(v.claim.source)."
    }

    /// `claims.md`: the rule, the summary table and the evidence lines.
    public func markdown(title: String = "Claims ledger: which of the paper's claims hold under our protocol") -> String {
        var text = "\(title)\n\nVerdicts: \(countsText). \(Self.rule)\n\n"
        text += MarkdownTable(header: Self.summaryHeader, alignments: [.left, .left, .left, .left, .right, .right, .right],
                              rows: summaryRows).rendered()
        text += "\nEvidence (effects in points for accuracies; step keys shortened to 12 characters):\n\n"
        text += verdicts.enumerated().map { "\($0.offset + 1). \(evidenceLine($0.element))" }.joined(separator: "\n") + "\n"
        return text
    }
}
