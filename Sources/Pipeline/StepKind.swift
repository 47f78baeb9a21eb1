import Foundation
import Store

/// A kind of step (`dataset`, `train`, `write`, …): the seam between the generic runner and the domain.
///
/// The runner knows a step only as kind + parameters + inputs + outputs. A kind validates its
/// parameters before anything runs and, when run in a worker process, writes its artifacts into
/// `context.outputDirectory` and returns its metrics. Bump `version` whenever the kind's code
/// changes what it produces: every cached result of the kind is then rerun ("version changed").
public protocol StepKind: Sendable {
    /// The `kind:` value in pipeline files.
    var name: String { get }
    /// Part of the cache key; bump it when outputs would change.
    var version: Int { get }
    /// Locally, `heavy` steps (training) run one at a time and `light` ones beside them up to
    /// `--jobs`; on Slurm every step is its own job and the scheduler places them.
    var resources: StepResources { get }
    /// The threads a step with these (validated) parameters computes with: what a Slurm job of it asks
    /// for in CPUs. Default: 2 for heavy kinds, 1 for light ones.
    func threads(_ parameters: Parameters) -> Int
    /// Throws a `ParameterError` for a missing, unknown or ill-typed parameter, or a
    /// `StepInputError` when the named inputs are not what the kind needs.
    func validate(parameters: Parameters, inputNames: [String]) throws
    /// Checks the step against the steps its inputs name (their kinds and parameters), when the
    /// pipeline is loaded, so that a contradiction both sides of which are in the file fails
    /// before anything runs rather than after hours of training; throws like `validate`.
    func validate(parameters: Parameters, inputs: [String: [(kind: String, parameters: Parameters)]]) throws
    /// What the step will read outside its parameters and inputs, given the data directory; nil
    /// (the default) when it reads nothing else. Called before planning, so it must be cheap and
    /// must not throw: a problem it finds is for `run` to report.
    func externalInputs(parameters: Parameters, dataDirectory: URL) -> ExternalInputs?
    /// Does the work. Artifacts go to `context.outputDirectory`; checkpoints that must survive a
    /// kill go to `context.workDirectory`. Throwing fails the step (and its dependents).
    /// Whether the outputs name the input steps (a table's evidence lines, a t-SNE file per
    /// analysis): the key leaves names out, so such a step reruns when an input step is renamed
    /// (`RunReason.inputRenamed`) instead of republishing the old names.
    var outputsNameInputs: Bool { get }

    func run(_ context: StepContext) throws -> StepResult
    /// One line on what an unfinished run of the step left in its work directory (the point a rerun
    /// resumes from), for `bce3s status`; nil (the default) when there is nothing to say.
    func progress(workDirectory: URL) -> String?
    /// That unfinished run's history, one line per unit of work done (a training's epochs with
    /// their loss and test accuracy), for `bce3s show`; empty (the default) when there is none.
    func progressHistory(workDirectory: URL) -> [String]
}

extension StepKind {
    /// Nothing to check against the inputs.
    public func validate(parameters: Parameters, inputs: [String: [(kind: String, parameters: Parameters)]]) throws {}
    /// No external inputs: the key covers everything the step reads.
    public func externalInputs(parameters: Parameters, dataDirectory: URL) -> ExternalInputs? { nil }
    public func progress(workDirectory: URL) -> String? { nil }
    public func progressHistory(workDirectory: URL) -> [String] { [] }
    public func threads(_ parameters: Parameters) -> Int { resources == .heavy ? 2 : 1 }
    public var outputsNameInputs: Bool { false }
}

/// What a step reads from outside the pipeline (the data directory) that decides its outputs,
/// found before planning so that other data never reuses a stored result.
public struct ExternalInputs: Equatable, Sendable {
    /// Joins the step's cache key when not nil (e.g. the content checksums of generated data).
    /// Must hold no machine paths: the same data elsewhere gives the same key.
    public var identity: ParameterValue?
    /// Metric values a stored result must carry to be reused: also catches results stored before
    /// `identity` joined the key (e.g. `synthetic` = 1 when the data directory now holds CIFAR).
    public var requiredMetrics: [String: Double]

    public init(identity: ParameterValue?, requiredMetrics: [String: Double] = [:]) {
        self.identity = identity
        self.requiredMetrics = requiredMetrics
    }
}

/// How much of the machine a step occupies while it runs.
public enum StepResources: String, Codable, Sendable { case light, heavy }

/// The inputs of a step kind are wrong: one is missing or unexpected.
public struct StepInputError: Error, Equatable, CustomStringConvertible {
    public var problem: String
    public init(_ problem: String) { self.problem = problem }
    public var description: String { "inputs: \(problem)" }
}

/// What a running step sees: its parameters, its inputs' outputs, and where to write.
public struct StepContext: Codable, Equatable, Sendable {
    /// The step's cache key.
    public var key: String
    /// The step's name in the pipeline.
    public var name: String
    public var parameters: Parameters
    /// Outputs of the upstream steps, by input name, in the order the pipeline lists them.
    public var inputs: [String: [StepInput]]
    /// Staging directory for artifacts; moved to `results/artifacts/<key>/` only if the step succeeds.
    public var outputDirectory: URL
    /// Stable per key (`results/work/<key>/`), kept across kills: checkpoints live here so a rerun
    /// of the same key resumes. Removed once the step's results are stored.
    public var workDirectory: URL
    /// Where datasets are read from or downloaded to (`--data-dir`).
    public var dataDirectory: URL
    /// The results directory (store, artifacts); figure and table kinds read the store from here.
    public var resultsDirectory: URL

    public init(key: String, name: String, parameters: Parameters, inputs: [String: [StepInput]],
                outputDirectory: URL, workDirectory: URL, dataDirectory: URL, resultsDirectory: URL) {
        self.key = key; self.name = name; self.parameters = parameters; self.inputs = inputs
        self.outputDirectory = outputDirectory; self.workDirectory = workDirectory
        self.dataDirectory = dataDirectory; self.resultsDirectory = resultsDirectory
    }

    /// The single step behind input `name`; throws if there is not exactly one.
    public func input(_ name: String) throws -> StepInput {
        guard let list = inputs[name], list.count == 1 else {
            throw StepInputError("expected exactly one step for input '\(name)', found \(inputs[name]?.count ?? 0)")
        }
        return list[0]
    }

    /// Where things live under `resultsDirectory`: the store, artifacts, logs.
    public var resultsLayout: ResultsLayout { ResultsLayout(root: resultsDirectory) }

    /// The experiment store, read-only: figure and table kinds read what their inputs point to.
    public func openStoreReadOnly() throws -> ExperimentStore { try ExperimentStore.openReadOnly(at: resultsLayout.store) }

    /// Writes a progress line to the step's log (`results/logs/<key>.log`).
    public func log(_ message: String) {
        FileHandle.standardOutput.write(Data((message + "\n").utf8))
    }
}

/// The outputs of one upstream step as a downstream step sees them.
public struct StepInput: Codable, Equatable, Sendable {
    public var key: String
    public var name: String
    /// Artifact name → absolute file URL.
    public var artifacts: [String: URL]
    public var metrics: [Metric]

    public init(key: String, name: String, artifacts: [String: URL], metrics: [Metric]) {
        self.key = key; self.name = name; self.artifacts = artifacts; self.metrics = metrics
    }

    /// The file of artifact `name`; throws if the upstream step did not produce it.
    public func artifact(_ artifactName: String) throws -> URL {
        guard let url = artifacts[artifactName] else {
            throw StepInputError("step '\(name)' has no artifact '\(artifactName)' (has: \(artifacts.keys.sorted().joined(separator: ", ")))")
        }
        return url
    }
}

/// One number a step reports. `epoch`, `classIndex` and `split` are optional coordinates
/// (long format in the store's `metric` table). `split` is a `MetricSplit` for measurements; the
/// table step's claim metrics carry a verdict label there instead.
public struct Metric: Codable, Equatable, Sendable {
    public var name: String
    public var value: Double
    public var epoch: Int?
    public var classIndex: Int?
    public var split: String?

    /// A metric with a free-form `split` label (or none).
    public init(_ name: String, _ value: Double, epoch: Int? = nil, classIndex: Int? = nil, split: String? = nil) {
        self.name = name; self.value = value; self.epoch = epoch; self.classIndex = classIndex; self.split = split
    }

    /// A metric measured on the training or the test data.
    public init(_ name: String, _ value: Double, epoch: Int? = nil, classIndex: Int? = nil, split: MetricSplit) {
        self.init(name, value, epoch: epoch, classIndex: classIndex, split: split.rawValue)
    }

    /// One of the metrics a `train` step records, under the name the store's views and the reports read.
    public init(_ name: TrainMetricName, _ value: Double, epoch: Int? = nil, classIndex: Int? = nil, split: MetricSplit? = nil) {
        self.init(name.rawValue, value, epoch: epoch, classIndex: classIndex, split: split?.rawValue)
    }

    /// Whether the metric was measured on `split` for the final model: no epoch, no class.
    public func isFinal(on split: MetricSplit) -> Bool { self.split == split.rawValue && epoch == nil && classIndex == nil }

    /// The row of the store's `metric` table for step `stepKey`.
    public func record(stepKey: String) -> MetricRecord {
        MetricRecord(stepKey: stepKey, name: name, value: value, epoch: epoch, classIndex: classIndex, split: split)
    }
}

/// What a step returns: its metrics, and which artifacts to also copy to a place for people.
public struct StepResult: Codable, Equatable, Sendable {
    public var metrics: [Metric]
    /// Wall-clock times (e.g. seconds per epoch): stored with the metrics but not part of the
    /// output digest, so a rerun with identical outputs leaves its dependents cached.
    public var timings: [Metric]
    /// Artifact name → path relative to the results directory (e.g. `tables/table2.md`), refreshed
    /// after every run of the pipeline whether the step ran or was reused.
    public var publish: [String: String]

    public init(metrics: [Metric] = [], timings: [Metric] = [], publish: [String: String] = [:]) {
        self.metrics = metrics
        self.timings = timings
        self.publish = publish
    }
}
