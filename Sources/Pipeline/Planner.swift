/// What the store knows about one step key: enough to decide reuse and to explain a rerun.
public struct CachedStep: Equatable, Sendable {
    public var key: String
    public var name: String
    public var kind: String
    public var version: Int
    public var parameters: Parameters
    public var succeeded: Bool
    public var error: String?
    /// Digest of the step's outputs (nil if it failed).
    public var outputDigest: String?
    /// Input name → output digests of the upstream steps it ran with.
    public var inputDigests: [String: [String]]
    /// Nil when every recorded artifact is on disk with its recorded SHA-256, else what is wrong.
    public var artifactProblem: String?
    /// Input name → names of the upstream steps it ran with (`step_input.input_step`).
    public var inputSteps: [String: [String]]

    public init(key: String, name: String, kind: String, version: Int, parameters: Parameters, succeeded: Bool,
                error: String? = nil, outputDigest: String?, inputDigests: [String: [String]],
                artifactProblem: String? = nil, inputSteps: [String: [String]] = [:]) {
        self.key = key; self.name = name; self.kind = kind; self.version = version; self.parameters = parameters
        self.succeeded = succeeded; self.error = error; self.outputDigest = outputDigest
        self.inputDigests = inputDigests; self.artifactProblem = artifactProblem; self.inputSteps = inputSteps
    }
}

/// The planner's view of the store: results by key, and the last result under a step name (to say
/// *what* changed when a key is not found).
public protocol CacheLookup {
    func step(key: String) throws -> CachedStep?
    func previous(name: String) throws -> CachedStep?
    /// The value of a stored step's metric without epoch or class (nil if it has none).
    func metric(key: String, name: String) throws -> Double?
}

extension CacheLookup {
    /// No metrics known: `ExternalInputs.requiredMetrics` are then never met, and such steps run.
    public func metric(key: String, name: String) throws -> Double? { nil }
}

/// Why a step runs. `bce3s status` prints it; `run_step.reason` records it.
public enum RunReason: Equatable, Sendable, CustomStringConvertible {
    case new
    case forced
    case failedBefore(String?)
    case kindChanged(from: String)
    case versionChanged(from: Int, to: Int)
    case parametersChanged([String])
    case inputChanged([String])
    /// Same inputs under other step names, which the step's outputs name (`StepKind.outputsNameInputs`).
    case inputRenamed([String])
    /// The data the step reads is not the data of the stored result (`ExternalInputs`).
    case dataChanged(String)
    /// Some inputs will run first; the key is known only once their outputs are.
    case inputWillRun([String])
    /// A stored artifact is missing or its bytes are not the recorded ones (what is wrong).
    case artifactsMissing(String)
    /// The last run under this name had a different key, yet no input, parameter or version differs
    /// (its record predates a change in how keys are computed).
    case notCached

    public var description: String {
        switch self {
        case .new: return "new"
        case .forced: return "forced"
        case .failedBefore(let error):
            // The error's first line; "… (log PATH:" followed by the log's last lines becomes "… (log PATH)".
            guard var line = error?.split(separator: "\n").first.map(String.init) else { return "failed before" }
            if line.hasSuffix(":"), line.range(of: " (log ", options: .backwards) != nil { line = line.dropLast() + ")" }
            return "failed before: " + line
        case .kindChanged(let old): return "kind changed (was \(old))"
        case .versionChanged(let old, let new): return "version changed (\(old) -> \(new))"
        case .parametersChanged(let keys): return "parameters changed: " + keys.joined(separator: ", ")
        case .inputChanged(let names): return "input changed: " + names.joined(separator: ", ")
        case .inputRenamed(let names): return "input steps renamed: " + names.joined(separator: ", ")
        case .dataChanged(let detail): return "data changed: " + detail
        case .inputWillRun(let steps): return "input will run: " + steps.joined(separator: ", ")
        case .artifactsMissing(let problem): return "stored artifact not usable: " + problem
        case .notCached: return "no stored result for this key"
        }
    }
}

/// Reuse a stored result, or run (with the key when it is already known, and why).
public enum StepDecision: Equatable, Sendable {
    case reuse(key: String, outputDigest: String)
    case run(key: String?, reasons: [RunReason])

    public var key: String? {
        switch self {
        case .reuse(let key, _): return key
        case .run(let key, _): return key
        }
    }

    /// The reason of a plain reuse (`ReuseProvenance` may add which code computed the result).
    public static let cachedReason = "cached"

    public var reasonText: String {
        switch self {
        case .reuse: return Self.cachedReason
        case .run(_, let reasons): return reasons.map(\.description).joined(separator: "; ")
        }
    }
}

/// Pure planning: from a graph, the set of forced steps and a cache view, decide each step.
public enum Planner {
    /// One decision per step of `graph`, in the graph's order. Downstream of a step that runs, the
    /// key waits for that step's outputs (`inputWillRun`); the scheduler decides again then.
    public static func plan(_ graph: PipelineGraph, forced: Set<String>, cache: CacheLookup) throws -> [StepDecision] {
        var digests: [String?] = []
        var decisions: [StepDecision] = []
        for step in graph.steps {
            let pending = step.upstream.filter { digests[$0] == nil }
            let decision: StepDecision
            if pending.isEmpty {
                let inputs = step.inputs.map { ($0.name, $0.steps.map { digests[$0]! }) }
                decision = try decide(step, inputDigests: inputs, forced: forced.contains(step.name), cache: cache)
            } else {
                let waiting = RunReason.inputWillRun(pending.map { graph.steps[$0].name })
                decision = .run(key: nil, reasons: forced.contains(step.name) ? [.forced, waiting] : [waiting])
            }
            if case .reuse(_, let digest) = decision { digests.append(digest) } else { digests.append(nil) }
            decisions.append(decision)
        }
        return decisions
    }

    /// The decision for one step whose input digests are known.
    public static func decide(_ step: GraphStep, inputDigests: [(name: String, digests: [String])], forced: Bool,
                              cache: CacheLookup) throws -> StepDecision {
        let key = try CacheKey.compute(kind: step.kind, version: step.version, parameters: step.parameters,
                                   inputDigests: inputDigests, external: step.external?.identity)
        if forced { return .run(key: key, reasons: [.forced]) }
        if let cached = try cache.step(key: key) {
            if !cached.succeeded { return .run(key: key, reasons: [.failedBefore(cached.error)]) }
            guard cached.artifactProblem == nil, let digest = cached.outputDigest else {
                return .run(key: key, reasons: [.artifactsMissing(cached.artifactProblem ?? "no output digest recorded")])
            }
            for (name, value) in (step.external?.requiredMetrics ?? [:]).sorted(by: { $0.key < $1.key }) {
                let stored = try cache.metric(key: key, name: name)
                if stored != value {
                    return .run(key: key, reasons: [.dataChanged("stored \(name) = \(stored.map { "\($0)" } ?? "none"), now \(value)")])
                }
            }
            if let names = step.inputStepNames {
                let renamed = names.keys.sorted().filter { (cached.inputSteps[$0] ?? []) != names[$0] }
                if !renamed.isEmpty { return .run(key: key, reasons: [.inputRenamed(renamed)]) }
            }
            return .reuse(key: key, outputDigest: digest)
        }
        guard let previous = try cache.previous(name: step.name) else { return .run(key: key, reasons: [.new]) }
        return .run(key: key, reasons: differences(step, inputDigests, previous))
    }

    /// What differs between this step and the last stored result under its name.
    static func differences(_ step: GraphStep, _ inputDigests: [(name: String, digests: [String])],
                            _ previous: CachedStep) -> [RunReason] {
        var reasons: [RunReason] = []
        if previous.kind != step.kind { reasons.append(.kindChanged(from: previous.kind)) }
        if previous.version != step.version { reasons.append(.versionChanged(from: previous.version, to: step.version)) }
        let keys = Set(previous.parameters.values.keys).union(step.parameters.values.keys)
        let changed = keys.filter { previous.parameters[$0] != step.parameters[$0] }.sorted()
        if !changed.isEmpty { reasons.append(.parametersChanged(changed)) }
        let current = Dictionary(uniqueKeysWithValues: inputDigests.map { ($0.name, $0.digests) })
        let inputs = Set(previous.inputDigests.keys).union(current.keys)
        let changedInputs = inputs.filter { previous.inputDigests[$0] != current[$0] }.sorted()
        if !changedInputs.isEmpty { reasons.append(.inputChanged(changedInputs)) }
        if reasons.isEmpty, step.external?.identity != nil {
            reasons.append(.dataChanged("the data directory holds other data than the stored result was made from"))
        }
        return reasons.isEmpty ? [.notCached] : reasons
    }
}
