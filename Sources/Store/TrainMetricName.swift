/// The `split` column of the store's `metric` table: the data a metric was measured on. (The
/// `table` step's claim metrics put a verdict label in that column instead: `StoreSchema+Claims`.)
public enum MetricSplit: String, CaseIterable, Sendable {
    case train, test
}

/// The names of the metrics a `train` step records (the `name` column of `metric`): the one list
/// that the step writes (`Steps/TrainMetrics`) and the store's `train_result` view, the reports,
/// the claims ledger and the figures read. Accuracies are in percent.
public enum TrainMetricName: String, CaseIterable, Sendable {
    /// The final model on the test set (split `test`, no epoch); `top1` also per epoch when evaluated.
    case top1, many, medium, few
    /// The same with logits averaged over the image and its mirror.
    case top1Flip = "top1_flip", manyFlip = "many_flip", mediumFlip = "medium_flip", fewFlip = "few_flip"
    /// The stage-1 model's accuracies on the test set, recorded when stage 2 followed.
    case stage1Top1 = "stage1_top1", stage1Many = "stage1_many", stage1Medium = "stage1_medium", stage1Few = "stage1_few"
    case stage1Top1Flip = "stage1_top1_flip", stage1ManyFlip = "stage1_many_flip", stage1MediumFlip = "stage1_medium_flip"
    case stage1FewFlip = "stage1_few_flip"
    /// Per class (split `test`): the final model's accuracy, plain and flipped.
    case classAccuracy = "class_accuracy", classAccuracyFlip = "class_accuracy_flip"
    /// Test-set selection of the best epoch: a labelled extra, never a result.
    case bestOnTestTop1Extra = "best_on_test_top1_extra"
    /// Per epoch: mean training loss (split `train`; its terms are `lossTerm(_:)`), learning rate, stage.
    case loss, lr, stage
    /// Training images per class (split `train`; the `analyse` step records it too).
    case classCount = "class_count"
    /// Wall-clock timings, stored but not digested: per epoch, and of the whole training.
    case epochSeconds = "epoch_seconds", seconds, secondsPerEpoch = "seconds_per_epoch"

    /// The final accuracies (split `test`, no epoch, no class), in the order reports list them.
    public static let finalAccuracies: [TrainMetricName] = [.top1, .many, .medium, .few, .top1Flip, .manyFlip, .mediumFlip, .fewFlip]

    /// The final accuracies that are columns of the `train_result` view, by the same names.
    public static let resultColumns: [TrainMetricName] = [.top1, .many, .medium, .few]

    /// The stage-1 model's counterpart of a final accuracy (`stage1_top1` for `top1`); nil for the others.
    public var stageOne: TrainMetricName? {
        switch self {
        case .top1: return .stage1Top1
        case .many: return .stage1Many
        case .medium: return .stage1Medium
        case .few: return .stage1Few
        case .top1Flip: return .stage1Top1Flip
        case .manyFlip: return .stage1ManyFlip
        case .mediumFlip: return .stage1MediumFlip
        case .fewFlip: return .stage1FewFlip
        default: return nil
        }
    }

    /// The per-epoch metric of one loss term (`loss_contrastive` for `contrastive`), split `train`.
    public static func lossTerm(_ term: String) -> String { "\(TrainMetricName.loss.rawValue)_\(term)" }
}
