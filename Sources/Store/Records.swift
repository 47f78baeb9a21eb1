import Foundation
import GRDB

/// One invocation of `bce3s run`: which pipeline file, with which arguments, and how it ended.
public struct RunRecord: Codable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "run"

    /// How a run ended; `running` rows left behind by a killed coordinator become `interrupted`.
    public enum Status: String, Codable, Sendable { case running, succeeded, failed, interrupted }

    public var id: Int64?
    public var pipeline: String
    public var pipelineSHA256: String
    public var argv: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: Status
    public var codeVersion: String
    /// The resolved Swift package versions of the build (`Package.resolved`), e.g.
    /// `"GRDB.swift 7.10.0, Yams 6.2.2, …"`; nil when unknown (and for runs before it was recorded).
    public var dependencies: String?

    public init(id: Int64? = nil, pipeline: String, pipelineSHA256: String, argv: String, startedAt: Date,
                finishedAt: Date? = nil, status: Status, codeVersion: String, dependencies: String? = nil) {
        self.id = id; self.pipeline = pipeline; self.pipelineSHA256 = pipelineSHA256; self.argv = argv
        self.startedAt = startedAt; self.finishedAt = finishedAt; self.status = status; self.codeVersion = codeVersion
        self.dependencies = dependencies
    }

    enum CodingKeys: String, CodingKey {
        case id, pipeline, argv, status, dependencies
        case pipelineSHA256 = "pipeline_sha256", startedAt = "started_at", finishedAt = "finished_at"
        case codeVersion = "code_version"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One executed step, identified by its cache key (SHA-256 of kind, parameters, input digests, version).
public struct StepRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "step"

    /// A step row exists only once the step finished: it either succeeded or failed.
    public enum Status: String, Codable, Sendable { case succeeded, failed }

    public var key: String
    public var kind: String
    public var name: String
    public var paramsJSON: String
    public var version: Int
    public var status: Status
    /// SHA-256 over the step's artifacts and metrics; what dependents' cache keys are built from.
    public var outputDigest: String?
    public var startedAt: Date
    public var finishedAt: Date
    public var seconds: Double
    public var error: String?
    /// The CPU, oneDNN, OpenBLAS and OS the step finished on (`ComputeEnvironment.summary`): the
    /// same seed and code reproduce a training bit for bit only there. Nil for steps stored before
    /// schema v10 and from workers that do not say.
    public var machine: String?

    public init(key: String, kind: String, name: String, paramsJSON: String, version: Int, status: Status,
                outputDigest: String?, startedAt: Date, finishedAt: Date, seconds: Double, error: String?,
                machine: String? = nil) {
        self.key = key; self.kind = kind; self.name = name; self.paramsJSON = paramsJSON; self.version = version
        self.status = status; self.outputDigest = outputDigest; self.startedAt = startedAt
        self.finishedAt = finishedAt; self.seconds = seconds; self.error = error; self.machine = machine
    }

    enum CodingKeys: String, CodingKey {
        case key, kind, name, version, status, seconds, error, machine
        case paramsJSON = "params_json", outputDigest = "output_digest"
        case startedAt = "started_at", finishedAt = "finished_at"
    }
}

/// An edge of the DAG as it was when the step ran: input `inputName` (position `position` in its list)
/// was the output of step `inputKey`, whose output digest was `digest`.
public struct StepInputRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "step_input"
    public var stepKey: String
    public var inputName: String
    public var position: Int
    public var inputKey: String
    public var inputStep: String
    public var digest: String

    public init(stepKey: String, inputName: String, position: Int, inputKey: String, inputStep: String,
                digest: String) {
        self.stepKey = stepKey; self.inputName = inputName; self.position = position
        self.inputKey = inputKey; self.inputStep = inputStep; self.digest = digest
    }

    enum CodingKeys: String, CodingKey {
        case position, digest
        case stepKey = "step_key", inputName = "input_name", inputKey = "input_key", inputStep = "input_step"
    }
}

/// What a run did with one of its steps, and why (the reason `bce3s status` printed).
public struct RunStepRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "run_step"

    /// `skipped` steps never started because an input failed; they have no key. `running`: submitted
    /// to the executor and not settled yet (a run killed outright leaves it so until the next run);
    /// `interrupted`: in flight when the run was interrupted, its job cancelled.
    public enum Outcome: String, Codable, Sendable { case reused, ran, failed, skipped, running, interrupted }

    public var runID: Int64
    public var name: String
    public var stepKey: String?
    public var outcome: Outcome
    public var reason: String
    /// The executor that ran the step (`local`, `slurm`), nil for reused and skipped steps.
    public var executor: String?
    /// The step's job in that executor: the worker's pid, or the Slurm job id.
    public var jobID: String?

    public init(runID: Int64, name: String, stepKey: String?, outcome: Outcome, reason: String,
                executor: String? = nil, jobID: String? = nil) {
        self.runID = runID; self.name = name; self.stepKey = stepKey; self.outcome = outcome; self.reason = reason
        self.executor = executor; self.jobID = jobID
    }

    enum CodingKeys: String, CodingKey {
        case name, outcome, reason, executor
        case runID = "run_id", stepKey = "step_key", jobID = "job_id"
    }
}

/// A file a step produced, stored under `results/<path>`.
public struct ArtifactRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "artifact"
    public var stepKey: String
    public var name: String
    /// Relative to the results directory, e.g. `artifacts/<key>/model.safetensors`.
    public var path: String
    public var sha256: String
    public var bytes: Int64
    /// Where a copy is kept for people (relative to the results directory), e.g. `tables/table2.md`.
    public var publishedPath: String?

    public init(stepKey: String, name: String, path: String, sha256: String, bytes: Int64,
                publishedPath: String? = nil) {
        self.stepKey = stepKey; self.name = name; self.path = path; self.sha256 = sha256; self.bytes = bytes
        self.publishedPath = publishedPath
    }

    enum CodingKeys: String, CodingKey {
        case name, path, sha256, bytes
        case stepKey = "step_key", publishedPath = "published_path"
    }
}

/// One number a step reported, in long format: optional epoch, class index and split.
public struct MetricRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "metric"
    public var stepKey: String
    public var name: String
    public var value: Double
    public var epoch: Int?
    public var classIndex: Int?
    public var split: String?

    public init(stepKey: String, name: String, value: Double, epoch: Int? = nil, classIndex: Int? = nil,
                split: String? = nil) {
        self.stepKey = stepKey; self.name = name; self.value = value; self.epoch = epoch
        self.classIndex = classIndex; self.split = split
    }

    enum CodingKeys: String, CodingKey {
        case name, value, epoch, split
        case stepKey = "step_key", classIndex = "class"
    }
}
