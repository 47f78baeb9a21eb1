/// Where a figure came from, written into its PNG as tEXt chunks so that a file found
/// later can be traced to the pipeline step (and code) that drew it.
public struct Provenance: Equatable {
    public var pipeline: String
    public var stepKey: String
    public var codeVersion: String
    /// Any further key/value pairs (e.g. dataset, method, seed).
    public var extra: [String: String]

    public init(pipeline: String, stepKey: String, codeVersion: String, extra: [String: String] = [:]) {
        self.pipeline = pipeline
        self.stepKey = stepKey
        self.codeVersion = codeVersion
        self.extra = extra
    }

    /// The chunks in a fixed order: `Software`, `Title` (when given), `pipeline`, `step_key`,
    /// `code_version`, then the extra pairs sorted by key.
    func textChunks(title: String?) -> [(key: String, value: String)] {
        var chunks: [(key: String, value: String)] = [("Software", "bce3s")]
        if let title { chunks.append(("Title", title)) }
        chunks += [("pipeline", pipeline), ("step_key", stepKey), ("code_version", codeVersion)]
        chunks += extra.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
        return chunks
    }
}
