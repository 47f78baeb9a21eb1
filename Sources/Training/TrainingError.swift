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
            return "\(file): the checkpoint was made with a different \(field) (checkpoint: \(found); this run: \(expected)); "
                + "use another output directory or delete it"
        case let .badCheckpoint(file, reason):
            return "\(file): cannot resume from this checkpoint: \(reason)"
        }
    }
}
