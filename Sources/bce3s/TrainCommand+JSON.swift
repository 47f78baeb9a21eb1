import Training

extension TrainCommand {
    /// The JSON the issue specifies (percentages rounded to 0.01, null for an empty shot group),
    /// plus labelled extras.
    static func json(_ r: TrainingResult) throws -> String {
        let e = r.evaluation
        return try JSONOutput.line(Summary(
            top1: Percent(e.top1), top1Flip: Percent(e.top1Flip), many: Percent(e.many), medium: Percent(e.medium),
            few: Percent(e.few), manyFlip: Percent(e.manyFlip), mediumFlip: Percent(e.mediumFlip), fewFlip: Percent(e.fewFlip),
            perClass: e.perClass.map(Percent.init), perClassFlip: (e.perClassFlip ?? []).map(Percent.init),
            seconds: (r.seconds * 10).rounded() / 10, secondsPerEpoch: (r.secondsPerEpoch * 10).rounded() / 10,
            checkpoint: r.checkpoint, method: r.job.methodName, epochs: r.history.count, classCounts: r.classCounts,
            precision: r.job.recipe.convolutionPrecision.rawValue,
            bestOnTestExtra: r.bestOnTest.map { .init(top1: Percent($0.top1), stage: $0.stage, epoch: $0.epoch + 1) },
            stage1: r.stage1.map { .init(top1: Percent($0.top1), top1Flip: Percent($0.top1Flip)) }))
    }

    /// A fraction printed as a percentage with two decimals; null when there is none.
    struct Percent: Encodable {
        var fraction: Double?
        init(_ fraction: Double?) { self.fraction = fraction }

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            if let fraction { try container.encode((fraction * 10000).rounded() / 100) } else { try container.encodeNil() }
        }
    }

    /// What `--json` prints; the extras are left out when the run has none.
    struct Summary: Encodable {
        var top1, top1Flip, many, medium, few, manyFlip, mediumFlip, fewFlip: Percent
        var perClass, perClassFlip: [Percent]
        var seconds, secondsPerEpoch: Double
        var checkpoint, method: String
        var epochs: Int
        var classCounts: [Int]
        var precision: String
        var bestOnTestExtra: BestOnTest?
        var stage1: Stage1?

        struct BestOnTest: Encodable {
            var top1: Percent
            var stage, epoch: Int
            var note = "test-set selection; not the reported result"
        }

        struct Stage1: Encodable {
            var top1, top1Flip: Percent
            enum CodingKeys: String, CodingKey { case top1, top1Flip = "top1_flip" }
        }

        enum CodingKeys: String, CodingKey {
            case top1, top1Flip = "top1_flip", many, medium, few, manyFlip = "many_flip", mediumFlip = "medium_flip"
            case fewFlip = "few_flip", perClass = "per_class", perClassFlip = "per_class_flip", seconds
            case secondsPerEpoch = "seconds_per_epoch", checkpoint, method, epochs, classCounts = "class_counts", precision
            case bestOnTestExtra = "best_on_test_extra", stage1
        }
    }
}
