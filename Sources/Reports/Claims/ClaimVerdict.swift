/// The verdict on one claim in one setting, with the runs and numbers it rests on.
public struct ClaimVerdict: Equatable {
    public enum Verdict: String, CaseIterable, Equatable {
        /// ≥ 2 seeds per side and the 95 % interval lies on the claimed side (past the margin).
        case supported
        /// ≥ 2 seeds per side and the interval lies on the other side.
        case contradicted
        /// ≥ 2 seeds per side and the interval straddles the boundary.
        case inconclusive
        /// Only one seed on a side: a direction, never a verdict.
        case indicative
        /// The runs the test needs are absent (or only in a setting that may not be compared).
        case notRun = "not run"

        /// The code the table step records as metric `claim_verdict` (the `claim_result` view maps it back).
        public var code: Int { Self.allCases.firstIndex(of: self)! + 1 }
    }

    /// Which side of the claim's boundary the point estimate lies on — the difference of means
    /// in the claimed direction plus the margin, or our mean against the published value minus
    /// the margin. With one seed a side it is all an `indicative` verdict can say, so the ledger
    /// prints it there ("indicative, against").
    public enum Leaning: String, CaseIterable, Equatable {
        case towards = "for"
        case against
        case boundary = "on the boundary"

        /// The code the table step records as metric `claim_leaning`.
        public var code: Int {
            switch self {
            case .towards: 1
            case .against: -1
            case .boundary: 0
            }
        }

        /// From the oriented distance past the boundary: positive is for the claim.
        init(oriented: Double) {
            self = oriented > 0 ? .towards : oriented < 0 ? .against : .boundary
        }
    }

    public let claim: Claim
    /// The dataset and imbalance tested; nil when nothing was.
    public let setting: Setting?
    public let verdict: Verdict
    /// mean(a) − mean(b), or our mean − the published value.
    public let effect: Double?
    public let interval: EffectInterval?
    /// The side the point estimate lies on; nil when nothing was tested.
    public var leaning: Leaning?
    public let published: Double?
    public let runsA: [ClaimRun]
    public let runsB: [ClaimRun]
    /// The independent trainings on each side: runs sharing a condition and a seed count once.
    public var seedsA: Int { SeedReplicates.count(runsA) }
    public var seedsB: Int { SeedReplicates.count(runsB) }
    /// Epochs, stage 2, recipe(s), backbone, subset policy, precision.
    public let condition: String
    public let shortened: Bool
    /// One sentence: the numbers, or which runs are missing.
    public let reason: String
    /// Whether the two sides of a comparison were trained with different recipes (BCE3S on the
    /// authors' recipe against CE on LDAM-DRW's): the effect is then not the method's alone.
    public var recipesDiffer: Bool {
        !runsA.isEmpty && !runsB.isEmpty && Set(runsA.map(\.condition.recipe)) != Set(runsB.map(\.condition.recipe))
    }

    /// For a "not run" line standing for several settings of a published claim: those settings.
    public var missingSettings: [Setting] = []
    /// When the claim has several verdicts in this setting, one per condition of the runs (a
    /// backbone, a precision, a schedule): what sets this one's runs apart, e.g. `bf16`; else nil.
    public var variant: String?

    /// The label under which the table step records this verdict (metric split) and `claim_result`
    /// shows it: `C1 CIFAR-10-LT IF 100`, `C1 CIFAR-10-LT IF 100 · bf16` when the claim has a
    /// verdict per condition there, `C14 CIFAR-100-LT IF 100; CIFAR-100-LT IF 50` for a "not run"
    /// line standing for several settings, or just `C4` when nothing was tested.
    public var label: String { settingText == "—" ? claim.id : "\(claim.id) \(settingText)" }

    /// The setting column of the ledger: the setting (with its variant), the settings a "not run"
    /// line stands for, or "—".
    public var settingText: String {
        setting.map(settingWithVariant)
            ?? (missingSettings.isEmpty ? "—" : missingSettings.map(\.description).joined(separator: "; "))
    }

    private func settingWithVariant(_ setting: Setting) -> String {
        setting.description + (variant.map { " · \($0)" } ?? "")
    }
}
