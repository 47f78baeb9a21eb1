import Pipeline
import Store
import Training

/// The metrics a `train` step stores, named by `TrainMetricName`, accuracies in percent (the
/// tables read them so):
/// - final model on the test set (split `test`, no epoch): `top1`, `many`, `medium`, `few` and
///   their `_flip` versions (logits averaged with the mirrored image); `class_accuracy` (and
///   `class_accuracy_flip`) per class; the same eight accuracies of the stage-1 model
///   (`stage1_top1`, `stage1_few_flip`, …) when stage 2 followed; `best_on_test_top1_extra`
///   (test-set selection, a labelled extra only);
/// - per epoch (epochs numbered through both stages): `loss` and `loss_<term>` (split `train`),
///   `lr`, `stage`, `top1` (split `test`) when evaluated;
/// - `class_count` per class (training images; split `train`);
/// and as timings (stored, not part of the output digest): `epoch_seconds` per epoch, `seconds`
/// and `seconds_per_epoch` of training (evaluation excluded).
enum TrainMetrics {
    static func metrics(of result: TrainingResult) -> [Metric] {
        var out = finalAccuracies(result.evaluation).map { Metric($0, 100 * $1, split: .test) }
        for (c, accuracy) in result.evaluation.perClass.enumerated() {
            out.append(Metric(.classAccuracy, 100 * accuracy, classIndex: c, split: .test))
        }
        for (c, accuracy) in (result.evaluation.perClassFlip ?? []).enumerated() {
            out.append(Metric(.classAccuracyFlip, 100 * accuracy, classIndex: c, split: .test))
        }
        if let stage1 = result.stage1 {
            out += finalAccuracies(stage1).compactMap { name, value in name.stageOne.map { Metric($0, 100 * value, split: .test) } }
        }
        if let best = result.bestOnTest { out.append(Metric(.bestOnTestTop1Extra, 100 * best.top1, split: .test)) }
        for (epoch, record) in result.history.enumerated() {
            out.append(Metric(.loss, record.loss, epoch: epoch, split: .train))
            for (term, value) in record.terms.sorted(by: { $0.key < $1.key }) {
                out.append(Metric(TrainMetricName.lossTerm(term), value, epoch: epoch, split: .train))
            }
            out.append(Metric(.lr, record.learningRate, epoch: epoch))
            out.append(Metric(.stage, Double(record.stage), epoch: epoch))
            if let top1 = record.testTop1 { out.append(Metric(.top1, 100 * top1, epoch: epoch, split: .test)) }
        }
        for (c, n) in result.classCounts.enumerated() { out.append(Metric(.classCount, Double(n), classIndex: c, split: .train)) }
        return out
    }

    /// Wall-clock times: they differ between two runs with identical outputs.
    static func timings(of result: TrainingResult) -> [Metric] {
        result.history.enumerated().map { Metric(.epochSeconds, $1.seconds, epoch: $0) }
            + [Metric(.seconds, result.seconds), Metric(.secondsPerEpoch, result.secondsPerEpoch)]
    }

    /// The evaluation's accuracies (fractions) by name, in `TrainMetricName.finalAccuracies` order;
    /// the ones it does not have (no shot group, no flip) are left out.
    static func finalAccuracies(_ e: Evaluation) -> [(TrainMetricName, Double)] {
        let values: [TrainMetricName: Double?] = [.top1: e.top1, .many: e.many, .medium: e.medium, .few: e.few,
                                                  .top1Flip: e.top1Flip, .manyFlip: e.manyFlip, .mediumFlip: e.mediumFlip,
                                                  .fewFlip: e.fewFlip]
        return TrainMetricName.finalAccuracies.compactMap { name in values[name].flatMap { $0 }.map { (name, $0) } }
    }
}
