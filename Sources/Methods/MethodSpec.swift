import Tensor

/// Every choice that makes a training method, as one flat, overridable value (METHOD.md §3).
///
/// Named presets (`MethodSpec.named(_:)`) give the paper's methods and ablation rows; any field
/// can then be changed with `ConfigOverrides` (`negative_ratio=1`, `uniform=off`, …). JSON keys
/// are the snake_case field names.
public struct MethodSpec: Codable, Equatable, Sendable {
    /// The classifier head.
    public enum Head: String, ListedChoice, Sendable {
        /// `W f + b` (`LinearHead`).
        case linear
        /// `ŵ_k·f + b_k` (`NormalizedHead`, BCE3S).
        case normalized
        /// cos(f, w_k) (`CosineHead`, LDAM).
        case cosine
    }

    /// The sample–classifier ("joint") loss.
    public enum Joint: String, ListedChoice, Sendable {
        case ce, focal, ldam, balancedSoftmax = "balanced_softmax", bce

        public static var choiceName: String { "joint loss" }
    }

    /// An optional BCE3S term: off, or on in BCE or CE form.
    public enum Switch: String, ListedChoice, Sendable {
        case off, bce, ce

        public static var choiceName: String { "term switch" }
        /// The form when on.
        public var form: TermForm? { self == .off ? nil : TermForm(rawValue: rawValue) }
    }

    public var head: Head
    public var joint: Joint
    /// Focal γ.
    public var focalGamma: Float = 1
    /// LDAM's largest margin and scale s.
    public var ldamMaxMargin: Float = 0.5
    public var ldamScale: Float = 30
    /// Deferred re-weighting: class-balanced weights (β) from `drwStartFraction` of the epochs on.
    public var drw = false
    public var drwBeta: Double = 0.9999
    public var drwStartFraction: Double = 0.8
    /// BCE: the negative-subsampling ratio r (1 = all classes), the negative weight l and the logit clamp.
    public var negativeRatio: Float = 0.4
    public var negativeWeight: Float = 1
    public var logitClamp: Float = 64
    /// GLMC mixing: a second batch from the instance sampler (class weights ∝ n_c^(−ρ)), mixup and CutMix.
    public var mixing = false
    public var cutmixTarget: CutMixTarget = .lambda
    public var samplerPower: Float = 0
    /// Sample–sample term: weight λ_ss, temperature τ, projection width.
    public var contrastive: Switch = .off
    public var contrastiveWeight: Float = 0.1
    public var temperature: Float = 1
    public var projectionDimension = 128
    /// Classifier–classifier term: weight λ_cc and scale s.
    public var uniform: Switch = .off
    public var uniformWeight: Float = 1
    public var uniformScale: Float = 1

    public init(head: Head, joint: Joint) {
        self.head = head
        self.joint = joint
    }

    /// Checks that the fields fit together; the error names the field.
    public func validate() throws {
        func fail(_ field: String, _ message: String) -> ConfigError {
            ConfigError(source: "method", field: field, message: message)
        }
        if joint == .ldam && head != .cosine { throw fail("head", "LDAM needs the cosine head, got \(head.rawValue)") }
        if mixing && (joint == .focal || joint == .ldam) {
            throw fail("mixing", "\(joint.rawValue) takes hard labels; mixing needs ce, balanced_softmax or bce")
        }
        if drw && !(joint == .ce || joint == .ldam) { throw fail("drw", "re-weighting is defined for ce and ldam, not \(joint.rawValue)") }
        if drw && mixing { throw fail("drw", "class re-weighting needs hard labels; turn mixing off") }
        if contrastive != .off && !mixing { throw fail("contrastive", "the contrastive term works on mixed samples; turn mixing on") }
        if !(negativeRatio > 0 && negativeRatio <= 1) { throw fail("negative_ratio", "expected 0 < r ≤ 1, got \(negativeRatio)") }
        if !(temperature > 0) { throw fail("temperature", "expected τ > 0, got \(temperature)") }
        if projectionDimension < 1 { throw fail("projection_dimension", "expected ≥ 1, got \(projectionDimension)") }
        if !(drwBeta >= 0 && drwBeta < 1) { throw fail("drw_beta", "expected 0 ≤ β < 1, got \(drwBeta)") }
        if !(logitClamp > 0) { throw fail("logit_clamp", "expected > 0, got \(logitClamp)") }
        for (field, value) in [("focal_gamma", focalGamma), ("ldam_max_margin", ldamMaxMargin), ("negative_weight", negativeWeight),
                               ("contrastive_weight", contrastiveWeight), ("uniform_weight", uniformWeight)] where !(value >= 0) {
            throw fail(field, "expected ≥ 0, got \(value)")
        }
        for (field, value) in [("ldam_scale", ldamScale), ("uniform_scale", uniformScale)] where !(value > 0) {
            throw fail(field, "expected > 0, got \(value)")
        }
        if !(drwStartFraction >= 0 && drwStartFraction <= 1) { throw fail("drw_start_fraction", "expected 0 ≤ f ≤ 1, got \(drwStartFraction)") }
    }
}

extension MethodSpec {
    /// Why the field called `name` (snake_case) changes no weight with this spec — the part that
    /// reads it is off — or nil when training reads it. An override of such a field would only
    /// make the run a condition of its own in tables and the ledger (and retrain it).
    public func unreadReason(of name: String) -> String? {
        switch name {
        case "sampler_power", "cutmix_target": return mixing ? nil : "only mixing reads it, and mixing is off"
        case "contrastive_weight", "temperature", "projection_dimension":
            return contrastive == .off ? "only the contrastive term reads it, and contrastive is off" : nil
        case "uniform_weight", "uniform_scale": return uniform == .off ? "only the uniform term reads it, and uniform is off" : nil
        case "drw_beta", "drw_start_fraction": return drw ? nil : "only re-weighting reads it, and drw is off"
        case "focal_gamma": return joint == .focal ? nil : "only the focal joint loss reads it, and joint is \(joint.rawValue)"
        case "ldam_max_margin", "ldam_scale": return joint == .ldam ? nil : "only the LDAM joint loss reads it, and joint is \(joint.rawValue)"
        default: return nil
        }
    }
}

/// A named method: one of the paper's methods or ablation rows (`MethodSpec.presets`).
public struct MethodPreset: Sendable {
    /// The name pipelines and `--method` use (`bce3s`), and that results are labelled with.
    public let name: String
    /// One line for `--help`.
    public let summary: String
    public let spec: MethodSpec
}

extension MethodSpec {
    /// Every preset, in the order `--help` lists them: the one table of names, summaries and specs.
    public static let presets: [MethodPreset] = [
        MethodPreset(name: "ce", summary: "softmax cross-entropy, linear head", spec: MethodSpec(head: .linear, joint: .ce)),
        MethodPreset(name: "focal", summary: "focal loss γ=1, linear head", spec: MethodSpec(head: .linear, joint: .focal)),
        MethodPreset(name: "ldam_drw", summary: "LDAM margins (s=30, max 0.5) on a cosine head, DRW from 80% of the epochs",
                     spec: MethodSpec(head: .cosine, joint: .ldam).with { $0.drw = true }),
        MethodPreset(name: "balanced_softmax", summary: "cross-entropy on z + log n_c, linear head",
                     spec: MethodSpec(head: .linear, joint: .balancedSoftmax)),
        MethodPreset(name: "bce", summary: "BCE joint term alone without mixing (normalised head + bias, r=0.4)",
                     spec: MethodSpec(head: .normalized, joint: .bce)),
        MethodPreset(name: "bce3s", summary: "BCE joint + contrastive + uniform with GLMC mixing (the paper)",
                     spec: mixed(.bce, contrastive: .bce, uniform: .bce)),
        MethodPreset(name: "bce_joint", summary: "ablation: BCE joint with mixing", spec: mixed(.bce)),
        MethodPreset(name: "bce_joint_contrastive", summary: "ablation: BCE joint + contrastive", spec: mixed(.bce, contrastive: .bce)),
        MethodPreset(name: "bce_joint_uniform", summary: "ablation: BCE joint + uniform", spec: mixed(.bce, uniform: .bce)),
        MethodPreset(name: "ce_joint", summary: "ablation: CE joint with mixing (normalised head)", spec: mixed(.ce)),
        MethodPreset(name: "ce3s", summary: "ablation: the CE version of all three terms", spec: mixed(.ce, contrastive: .ce, uniform: .ce)),
    ]

    /// The preset names, in the order `--help` lists them.
    public static var presetNames: [String] { presets.map(\.name) }

    /// The preset called `name`, or a `ConfigError` listing the valid names.
    public static func named(_ name: String) throws -> MethodSpec {
        guard let preset = presets.first(where: { $0.name == name }) else {
            throw ConfigError(source: "method", field: "name",
                              message: "unknown method '\(name)'; expected one of \(presetNames.joined(separator: ", "))")
        }
        return preset.spec
    }

    /// The normalised head with GLMC mixing, the `joint` loss and the two optional terms.
    private static func mixed(_ joint: Joint, contrastive: Switch = .off, uniform: Switch = .off) -> MethodSpec {
        MethodSpec(head: .normalized, joint: joint).with {
            $0.mixing = true
            $0.contrastive = contrastive
            $0.uniform = uniform
        }
    }

    /// A copy with `change` applied.
    private func with(_ change: (inout MethodSpec) -> Void) -> MethodSpec {
        var copy = self
        change(&copy)
        return copy
    }
}
