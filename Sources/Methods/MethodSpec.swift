/// Every choice that makes a training method, as one flat, overridable value (METHOD.md §3).
///
/// Named presets (`MethodSpec.named(_:)`) give the paper's methods and ablation rows; any field
/// can then be changed with `ConfigOverrides` (`negative_ratio=1`, `uniform=off`, …). JSON keys
/// are the snake_case field names.
public struct MethodSpec: Codable, Equatable, Sendable {
    /// The classifier head.
    public enum Head: String, Codable, CaseIterable, Sendable {
        /// `W f + b` (`LinearHead`).
        case linear
        /// `ŵ_k·f + b_k` (`NormalizedHead`, BCE3S).
        case normalized
        /// cos(f, w_k) (`CosineHead`, LDAM).
        case cosine
    }

    /// The sample–classifier ("joint") loss.
    public enum Joint: String, Codable, CaseIterable, Sendable {
        case ce, focal, ldam, balancedSoftmax = "balanced_softmax", bce
    }

    /// An optional BCE3S term: off, or on in BCE or CE form.
    public enum Switch: String, Codable, CaseIterable, Sendable {
        case off, bce, ce
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
    }
}

extension MethodSpec {
    /// The preset names, in the order `--help` lists them.
    public static let presetNames = ["ce", "focal", "ldam_drw", "balanced_softmax", "bce", "bce3s",
                                     "bce_joint", "bce_joint_contrastive", "bce_joint_uniform", "ce_joint", "ce3s"]

    /// One line per preset, for `--help`.
    public static let presetSummaries: [String: String] = [
        "ce": "softmax cross-entropy, linear head",
        "focal": "focal loss γ=1, linear head",
        "ldam_drw": "LDAM margins (s=30, max 0.5) on a cosine head, DRW from 80% of the epochs",
        "balanced_softmax": "cross-entropy on z + log n_c, linear head",
        "bce": "BCE joint term alone without mixing (normalised head + bias, r=0.4)",
        "bce3s": "BCE joint + contrastive + uniform with GLMC mixing (the paper)",
        "bce_joint": "ablation: BCE joint with mixing",
        "bce_joint_contrastive": "ablation: BCE joint + contrastive",
        "bce_joint_uniform": "ablation: BCE joint + uniform",
        "ce_joint": "ablation: CE joint with mixing (normalised head)",
        "ce3s": "ablation: the CE version of all three terms",
    ]

    /// The preset called `name`, or a `ConfigError` listing the valid names.
    public static func named(_ name: String) throws -> MethodSpec {
        var spec: MethodSpec
        switch name {
        case "ce": spec = MethodSpec(head: .linear, joint: .ce)
        case "focal": spec = MethodSpec(head: .linear, joint: .focal)
        case "ldam_drw":
            spec = MethodSpec(head: .cosine, joint: .ldam)
            spec.drw = true
        case "balanced_softmax": spec = MethodSpec(head: .linear, joint: .balancedSoftmax)
        case "bce": spec = MethodSpec(head: .normalized, joint: .bce)
        case "bce_joint", "bce_joint_contrastive", "bce_joint_uniform", "bce3s":
            spec = MethodSpec(head: .normalized, joint: .bce)
            spec.mixing = true
            spec.contrastive = name.hasSuffix("contrastive") || name == "bce3s" ? .bce : .off
            spec.uniform = name.hasSuffix("uniform") || name == "bce3s" ? .bce : .off
        case "ce_joint", "ce3s":
            spec = MethodSpec(head: .normalized, joint: .ce)
            spec.mixing = true
            spec.contrastive = name == "ce3s" ? .ce : .off
            spec.uniform = name == "ce3s" ? .ce : .off
        default:
            throw ConfigError(source: "method", field: "name",
                              message: "unknown method '\(name)'; expected one of \(presetNames.joined(separator: ", "))")
        }
        return spec
    }
}
