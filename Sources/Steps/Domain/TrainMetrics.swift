import Pipeline
import Training

/// The metrics a `train` step stores, accuracies in percent (the tables read them so):
/// - final model on the test set (split `test`, no epoch): `top1`, `many`, `medium`, `few` and
///   their `_flip` versions (logits averaged with the mirrored image); `class_accuracy` (and
///   `class_accuracy_flip`) per class; `stage1_top1`/`stage1_top1_flip` when stage 2 followed;
///   `best_on_test_top1_extra` (test-set selection, a labelled extra only);
/// - per epoch (epochs numbered through both stages): `loss` and `loss_<term>` (split `train`),
///   `lr`, `stage`, `top1` (split `test`) when evaluated;
/// - `class_count` per class (training images; split `train`);
/// and as timings (stored, not part of the output digest): `epoch_seconds` per epoch, `seconds`
/// and `seconds_per_epoch` of training (evaluation excluded).
enum TrainMetrics {
    static func metrics(of result: TrainingResult) -> [Metric] {
        var out = evaluation(result.evaluation)
        if let stage1 = result.stage1 {
            out.append(Metric("stage1_top1", 100 * stage1.top1, split: "test"))
            if let flip = stage1.top1Flip { out.append(Metric("stage1_top1_flip", 100 * flip, split: "test")) }
        }
        if let best = result.bestOnTest { out.append(Metric("best_on_test_top1_extra", 100 * best.top1, split: "test")) }
        for (epoch, record) in result.history.enumerated() {
            out.append(Metric("loss", record.loss, epoch: epoch, split: "train"))
            for (term, value) in record.terms.sorted(by: { $0.key < $1.key }) {
                out.append(Metric("loss_\(term)", value, epoch: epoch, split: "train"))
            }
            out.append(Metric("lr", record.learningRate, epoch: epoch))
            out.append(Metric("stage", Double(record.stage), epoch: epoch))
            if let top1 = record.testTop1 { out.append(Metric("top1", 100 * top1, epoch: epoch, split: "test")) }
        }
        for (c, n) in result.classCounts.enumerated() { out.append(Metric("class_count", Double(n), classIndex: c, split: "train")) }
        return out
    }

    /// Wall-clock times: they differ between two runs with identical outputs.
    static func timings(of result: TrainingResult) -> [Metric] {
        result.history.enumerated().map { Metric("epoch_seconds", $1.seconds, epoch: $0) }
            + [Metric("seconds", result.seconds), Metric("seconds_per_epoch", result.secondsPerEpoch)]
    }

    private static func evaluation(_ e: Evaluation) -> [Metric] {
        var out: [Metric] = []
        func add(_ name: String, _ value: Double?) {
            if let value { out.append(Metric(name, 100 * value, split: "test")) }
        }
        add("top1", e.top1); add("many", e.many); add("medium", e.medium); add("few", e.few)
        add("top1_flip", e.top1Flip); add("many_flip", e.manyFlip); add("medium_flip", e.mediumFlip); add("few_flip", e.fewFlip)
        for (c, accuracy) in e.perClass.enumerated() { out.append(Metric("class_accuracy", 100 * accuracy, classIndex: c, split: "test")) }
        for (c, accuracy) in (e.perClassFlip ?? []).enumerated() {
            out.append(Metric("class_accuracy_flip", 100 * accuracy, classIndex: c, split: "test"))
        }
        return out
    }
}
