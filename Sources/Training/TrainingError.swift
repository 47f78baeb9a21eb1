import Foundation

/// Why a run stopped without a result. A stopped run never writes `result.json`.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// The loss became NaN or ±Inf: the run diverged.
    case nonFiniteLoss(epoch: Int, step: Int, terms: String)
    /// The work directory's checkpoint belongs to another job or dataset.
    case checkpointMismatch(file: String, field: String, expected: String, found: String)
    /// A checkpoint could not be read or is incomplete.
    case badCheckpoint(file: String, reason: String)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(epoch, step, terms):
            return "training diverged: the loss is not finite at epoch \(epoch + 1), step \(step + 1) (\(terms)); "
                + "no result was recorded — lower the learning rate or check the data"
        case let .checkpointMismatch(file, field, expected, found):
            let difference = Self.jsonDifference(found: found, expected: expected)
                ?? "checkpoint: \(found); this run: \(expected)"
            return "\(file): the checkpoint was made with a different \(field) (\(difference)); "
                + "use another output directory or delete it"
        case let .badCheckpoint(file, reason):
            return "\(file): cannot resume from this checkpoint: \(reason)"
        }
    }

    /// For two JSON objects (a job, a data identity), only the fields that differ, as
    /// "method: checkpoint ce, this run focal; recipe.lr: …" (nested fields dotted); nil otherwise.
    static func jsonDifference(found: String, expected: String) -> String? {
        func object(_ text: String) -> [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) as? [String: Any]
        }
        guard let old = object(found), let new = object(expected) else { return nil }
        func text(_ value: Any?) -> String {
            guard let value else { return "nothing" }
            guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
            else { return "\(value)" }
            return String(decoding: data, as: UTF8.self)
        }
        func differences(_ old: [String: Any], _ new: [String: Any], prefix: String) -> [String] {
            Set(old.keys).union(new.keys).sorted().flatMap { key -> [String] in
                if let a = old[key] as? [String: Any], let b = new[key] as? [String: Any] {
                    return differences(a, b, prefix: prefix + key + ".")
                }
                let (a, b) = (text(old[key]), text(new[key]))
                return a == b ? [] : ["\(prefix)\(key): checkpoint \(a), this run \(b)"]
            }
        }
        let list = differences(old, new, prefix: "")
        return list.isEmpty ? nil : list.joined(separator: "; ")
    }
}
