import Store

/// One of the paper's claims, as data: what it says, where the paper says it, and the comparison
/// of stored metrics that tests it. `ClaimCatalog.paper` lists them; `ClaimLedger` judges them.
public struct Claim: Equatable {
    /// Stable identifier, e.g. `C1`; the ledger, `claim_result` and the report use it.
    public let id: String
    /// The claim in one sentence.
    public let statement: String
    /// Where the paper (or the source of a published number) says it.
    public let source: String
    public let test: ClaimTest
    /// Where the paper makes a comparative claim (e.g. its ablation is on CIFAR-100-LT IF 100); a
    /// verdict from another setting says so. Empty: the paper makes it on every setting it reports.
    public let paperSettings: [Setting]

    public init(id: String, statement: String, source: String, test: ClaimTest, paperSettings: [Setting] = []) {
        (self.id, self.statement, self.source, self.test, self.paperSettings) = (id, statement, source, test, paperSettings)
    }
}

/// How a claim is tested.
public enum ClaimTest: Equatable {
    /// `a` beats `b` on `metric` in `direction`; with a `margin`, `a` is at most that far behind
    /// (0: the 95 % interval of the difference must exclude zero). `sameRecipe`: only runs trained on
    /// the same recipe are compared (ablations); otherwise each method keeps its own recipe, as in the paper.
    case comparison(a: ClaimArm, b: ClaimArm, metric: ClaimMetric, direction: ClaimDirection, sameRecipe: Bool, margin: Double)
    /// Our mean of `metric` for `arm` reaches the published value of each setting, within `margin`
    /// points below it.
    case published(arm: ClaimArm, metric: ClaimMetric, values: [PublishedPoint], margin: Double)

    /// The arms whose runs the test reads.
    public var arms: [ClaimArm] {
        switch self {
        case .comparison(let a, let b, _, _, _, _): return [a, b]
        case .published(let arm, _, _, _): return [arm]
        }
    }

    /// How far behind (points or metric units, in the claimed direction) still counts as holding.
    public var margin: Double {
        switch self {
        case .comparison(_, _, _, _, _, let margin), .published(_, _, _, let margin): return margin
        }
    }

    public var metric: ClaimMetric {
        switch self {
        case .comparison(_, _, let metric, _, _, _), .published(_, let metric, _, _): return metric
        }
    }
}

/// A published number for one setting and where it comes from.
public struct PublishedPoint: Equatable {
    public let setting: Setting
    public let value: Double
    public let source: String
}

/// Which way a comparison must go for the claim to hold.
public enum ClaimDirection: String, Equatable {
    case higher, lower
}

/// One side of a comparison: a label for people and the runs that stand for it, in order of
/// preference (the first source with runs in a setting is used there).
public struct ClaimArm: Equatable {
    public let label: String
    public let sources: [Source]

    /// Runs of `method`; `stageOne`: the stage-1 model of a run (its `stage1_…` metrics when the
    /// run had stage 2, else the run's own final metrics).
    public struct Source: Equatable {
        public let method: String
        public let stageOne: Bool
    }

    public init(_ label: String, _ methods: [String], stageOne: Bool = false) {
        self.label = label
        self.sources = methods.map { Source(method: $0, stageOne: stageOne && $0.hasSuffix("+stage2")) }
    }

    init(_ label: String, sources: [Source]) { (self.label, self.sources) = (label, sources) }
}

/// A stored metric a claim compares: a train step's final test accuracy (one of
/// `TrainMetricName.finalAccuracies`; stage-1 sources read its `stageOne` counterpart) or an
/// analyse step's test-split geometry metric (METHOD.md §6).
public enum ClaimMetric: Equatable, CustomStringConvertible {
    case train(TrainMetricName)
    case geometry(String)

    public var name: String {
        switch self {
        case .train(let metric): return metric.rawValue
        case .geometry(let name): return name
        }
    }

    /// The stored name a source reads: for a stage-1 source, the stage-1 model's accuracy (nil
    /// when the metric has none, e.g. a geometry metric).
    func storedName(stageOne: Bool) -> String? {
        guard stageOne else { return name }
        if case .train(let metric) = self { return metric.stageOne?.rawValue }
        return nil
    }

    /// Whether the metric is an accuracy in percent (effects are then in points).
    var isAccuracy: Bool { if case .train = self { return true } else { return false } }

    public var description: String {
        switch self {
        case .train(let metric): return "\(metric.rawValue) (train step, test split, %)"
        case .geometry(let name): return "\(name) (analyse step, test features)"
        }
    }
}
