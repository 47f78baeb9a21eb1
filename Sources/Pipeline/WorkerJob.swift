import Foundation

/// Everything a worker process needs to run one step, written by the coordinator as `job.json`.
/// Workers never open the store for writing: they report through a `WorkerResult` file.
public struct WorkerJob: Codable, Equatable, Sendable {
    /// The step kind to run.
    public var kind: String
    /// What the step sees: key, name, parameters, inputs and directories.
    public var context: StepContext
    /// Where the worker writes its `WorkerResult`.
    public var resultFile: URL

    public init(kind: String, context: StepContext, resultFile: URL) {
        self.kind = kind
        self.context = context
        self.resultFile = resultFile
    }
}

/// What a worker reports back: success or the error, metrics, and the files it left in its output directory.
public struct WorkerResult: Codable, Equatable, Sendable {
    public struct Artifact: Codable, Equatable, Sendable {
        /// Path relative to the output directory, e.g. `model.safetensors` or `figures/tsne.png`.
        public var name: String
        public var sha256: String
        public var bytes: Int64
    }

    public var error: String?
    public var result: StepResult
    public var artifacts: [Artifact]
    public var startedAt: Date
    public var finishedAt: Date
    /// The machine and numeric libraries the step ran on (`ComputeEnvironment.summary`), as the
    /// worker saw them: on a cluster, the compute node, not the coordinator's machine. Nil from a
    /// worker that does not say.
    public var machine: String?

    public var succeeded: Bool { error == nil }
}

/// Reads and writes the job and result files as JSON, atomically (temp file + rename).
enum JobFiles {
    static func write<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        try encoder.encode(value).write(to: url, options: .atomic)
    }

    static func read<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(type, from: Data(contentsOf: url))
    }
}
