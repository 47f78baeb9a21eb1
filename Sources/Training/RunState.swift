import Foundation
import Tensor
import NN

/// One epoch of a run, as kept in the checkpoint and the result.
public struct EpochRecord: Codable, Equatable, Sendable {
    /// 1 or 2; `epoch` counts from 0 within the stage.
    public var stage: Int
    public var epoch: Int
    /// Mean step loss and mean of each term over the epoch.
    public var loss: Double
    public var terms: [String: Double]
    /// Learning rate of the epoch's first step.
    public var learningRate: Double
    public var seconds: Double
    /// Test top-1 (no flip) after the epoch, when evaluated (`eval_every`).
    public var testTop1: Double?
}

/// The resumable state of a run in its work directory: `state.safetensors` holds the model
/// (backbone, head, projection, memory), the active optimiser's momentum buffers, the number of
/// finished epochs and the history; it is replaced atomically after every epoch. The loaders and
/// every random draw are pure functions of (seed, epoch, step), so nothing else is needed for a
/// bit-identical resume.
struct RunState {
    static let fileName = "state.safetensors"
    static let optimizerPrefix = "optimizer."

    /// Epochs finished in stage 1 + stage 2.
    var epochsDone: Int
    var history: [EpochRecord]
    /// Stage-1 evaluation (kept when stage 2 follows) and MaxNorm's τ_W (set once before stage 2).
    var stage1Evaluation: Evaluation?
    var maxNormThreshold: Float?

    static func url(in directory: URL) -> URL { directory.appendingPathComponent(fileName) }

    /// Writes the model, `optimizer` and this state; `identity` ties it to the job and data.
    func save(model: TrainingModel, optimizer: SGD, identity: [String: String], in directory: URL) throws {
        let optimizerState = optimizer.state()
        var file = SafeTensors(metadata: identity.merging(try metadata()) { _, mine in mine }.merging(optimizerState.metadata) { mine, _ in mine })
        for (name, tensor) in model.stateTensors { file.tensors[name] = SafeTensor(shape: tensor.shape, float32: tensor.scalars) }
        for (name, value) in model.backbone.batchNormCounters { file.tensors[name] = SafeTensor(shape: [], int64: [value]) }
        for (name, tensor) in optimizerState.tensors { file.tensors[Self.optimizerPrefix + name] = tensor }
        try file.write(to: Self.url(in: directory))
    }

    /// Reads the state in `directory`, or nil when there is none. It must match `identity`
    /// (job and data) and have at most the job's `epochs` (both stages) done; model tensors are
    /// loaded in place, `optimizer` gets its buffers.
    static func load(into model: TrainingModel, optimizer: (RunState) -> SGD, identity: [String: String], epochs: Int,
                     from directory: URL) throws -> (RunState, SGD)? {
        let url = url(in: directory)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let file = try SafeTensors(contentsOf: url)
        for (key, expected) in identity.sorted(by: { $0.key < $1.key }) where file.metadata[key] != expected {
            throw TrainingError.checkpointMismatch(file: url.path, field: key, expected: expected,
                                                   found: file.metadata[key] ?? "nothing")
        }
        let state = try RunState(metadataOf: file, at: url)
        guard state.epochsDone <= epochs else {
            throw TrainingError.badCheckpoint(file: url.path, reason: "its metadata field epochs_done (\(state.epochsDone)) is more "
                                              + "than the job's \(epochs) epochs; expected 0 to \(epochs)")
        }
        let expected = model.stateTensors.map(\.name) + model.backbone.batchNormCounters.keys
        try file.requireNoTensors(besides: Set(expected + file.tensors.keys.filter { $0.hasPrefix(optimizerPrefix) }))
        let values = try model.stateTensors.map { name, tensor in try file.float32(name, shape: tensor.shape) }
        var counters: [String: Int64] = [:]
        for name in model.backbone.batchNormCounters.keys { counters[name] = try file.int64(name, shape: [])[0] }
        var optimizerState = SafeTensors(metadata: file.metadata, source: url.path)
        for (name, tensor) in file.tensors where name.hasPrefix(optimizerPrefix) {
            optimizerState.tensors[String(name.dropFirst(optimizerPrefix.count))] = tensor
        }
        let sgd = optimizer(state)
        try sgd.loadState(optimizerState)
        for ((_, tensor), logical) in zip(model.stateTensors, values) {
            tensor.withUnsafeMutableScalars { $0.update(from: logical) }
        }
        model.backbone.batchNormCounters = counters
        return (state, sgd)
    }

    /// The state as checkpoint metadata; a NaN loss in the history is an `EncodingError` naming it.
    private func metadata() throws -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var out = ["epochs_done": String(epochsDone), "history": String(decoding: try encoder.encode(history), as: UTF8.self)]
        if let stage1Evaluation { out["stage1_evaluation"] = String(decoding: try encoder.encode(stage1Evaluation), as: UTF8.self) }
        if let maxNormThreshold { out["max_norm_threshold"] = String(maxNormThreshold.bitPattern) }
        return out
    }

    init(epochsDone: Int, history: [EpochRecord], stage1Evaluation: Evaluation? = nil, maxNormThreshold: Float? = nil) {
        self.epochsDone = epochsDone
        self.history = history
        self.stage1Evaluation = stage1Evaluation
        self.maxNormThreshold = maxNormThreshold
    }

    /// The state recorded in the metadata of `file` (read from `url`); throws `badCheckpoint` when it
    /// is missing or malformed, or when its epochs done contradict its history (one record per epoch).
    init(metadataOf file: SafeTensors, at url: URL) throws {
        guard let state = RunState(metadata: file.metadata) else {
            throw TrainingError.badCheckpoint(file: url.path, reason: "its run metadata (epochs done, history) is missing or malformed")
        }
        guard state.epochsDone >= 0, state.epochsDone == state.history.count else {
            throw TrainingError.badCheckpoint(file: url.path, reason: "its metadata field epochs_done (\(state.epochsDone)) does not "
                                              + "match its history of \(state.history.count) epoch(s); expected the number of epochs in the history")
        }
        self = state
    }

    private init?(metadata: [String: String]) {
        let decoder = JSONDecoder()
        guard let done = metadata["epochs_done"].flatMap(Int.init),
              let history = metadata["history"].flatMap({ try? decoder.decode([EpochRecord].self, from: Data($0.utf8)) })
        else { return nil }
        self.init(epochsDone: done, history: history,
                  stage1Evaluation: metadata["stage1_evaluation"].flatMap { try? decoder.decode(Evaluation.self, from: Data($0.utf8)) },
                  maxNormThreshold: metadata["max_norm_threshold"].flatMap(UInt32.init).map(Float.init(bitPattern:)))
    }
}
