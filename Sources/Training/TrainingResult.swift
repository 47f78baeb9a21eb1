import Foundation
import NN

/// What a finished run reports (`result.json` in its work directory). The main numbers are the
/// final-epoch model's; `bestOnTest` is the test-set-selected epoch, a labelled extra only.
public struct TrainingResult: Codable, Equatable, Sendable {
    /// The final model on the test set (after stage 2 when it ran), with and without flip averaging.
    public var evaluation: Evaluation
    /// The stage-1 model's evaluation, when stage 2 followed.
    public var stage1: Evaluation?
    /// The epoch with the highest test top-1 among the evaluated ones (test-set selection: an extra).
    public var bestOnTest: BestOnTest?
    public var history: [EpochRecord]
    /// Training time (sum over epochs, evaluation excluded) and per epoch.
    public var seconds: Double
    public var secondsPerEpoch: Double
    /// The final weights (`model.safetensors`, PyTorch names).
    public var checkpoint: String
    public var job: TrainingJob
    public var classCounts: [Int]

    /// A labelled extra: which epoch the test set would have picked, and its top-1.
    public struct BestOnTest: Codable, Equatable, Sendable {
        public var stage: Int
        public var epoch: Int
        public var top1: Double
    }

    static let fileName = "result.json"

    func write(in directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: directory.appendingPathComponent(Self.fileName), options: .atomic)
    }

    /// Writes `result.json` as a pipeline artifact: the same fields without the wall-clock timings
    /// (`seconds`, `seconds_per_epoch`, each epoch's `seconds`) and with the checkpoint named
    /// relative to the file, so a bit-identical retraining writes identical bytes and its
    /// dependents stay cached. (The timings are stored as step time and timing metrics instead.)
    public func writeReproducible(in directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard var object = try JSONSerialization.jsonObject(with: encoder.encode(self)) as? [String: Any],
              let history = object["history"] as? [[String: Any]] else {
            preconditionFailure("a TrainingResult encodes as an object with a history list")
        }
        object["seconds"] = nil
        object["seconds_per_epoch"] = nil
        object["history"] = history.map { record in record.filter { $0.key != "seconds" } }
        object["checkpoint"] = URL(fileURLWithPath: checkpoint).lastPathComponent
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            .write(to: directory.appendingPathComponent(Self.fileName), options: .atomic)
    }

    /// The finished result in `directory` if it belongs to `job` and its weights (`model.safetensors`)
    /// read whole and were written for `job`; else nil, and the trainer finishes again from its
    /// checkpoint (a crash while the weights were written, a damaged file, never becomes the result).
    static func existing(in directory: URL, job: TrainingJob) -> TrainingResult? {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(fileName)),
              let result = try? decoder.decode(TrainingResult.self, from: data), result.job == job,
              let weights = try? SafeTensors(contentsOf: directory.appendingPathComponent("model.safetensors")),
              let identity = try? job.canonicalJSON(), weights.metadata["job"] == identity else { return nil }
        return result
    }
}
