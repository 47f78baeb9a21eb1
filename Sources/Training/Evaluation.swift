import Foundation
import Tensor
import Datasets

/// Accuracy on the balanced test set (METHOD.md §1, §3): overall top-1, per-class accuracy and
/// the Many / Medium / Few means, each without and with averaging the logits of the image and
/// its horizontal flip. Groups without classes (CIFAR-10 has no Few) are `nil`.
public struct Evaluation: Codable, Equatable, Sendable {
    public var top1: Double
    public var perClass: [Double]
    public var many: Double?, medium: Double?, few: Double?
    public var top1Flip: Double?
    public var perClassFlip: [Double]?
    public var manyFlip: Double?, mediumFlip: Double?, fewFlip: Double?

    /// Accuracies of `predictions` against `labels`, grouped by training counts with `rule`.
    public static func accuracies(predictions: [Int], labels: [Int], classCounts: [Int], rule: ShotGroupRule)
        -> (top1: Double, perClass: [Double], groups: [ShotGroup: Double]) {
        let k = classCounts.count
        var correct = [Int](repeating: 0, count: k), total = [Int](repeating: 0, count: k)
        for (p, y) in zip(predictions, labels) {
            total[y] += 1
            if p == y { correct[y] += 1 }
        }
        let perClass = (0..<k).map { total[$0] == 0 ? 0 : Double(correct[$0]) / Double(total[$0]) }
        var groups: [ShotGroup: Double] = [:]
        for (group, classes) in rule.classes(classCounts: classCounts) where !classes.isEmpty {
            groups[group] = classes.map { perClass[$0] }.reduce(0, +) / Double(classes.count)
        }
        let top1 = Double(correct.reduce(0, +)) / Double(max(labels.count, 1))
        return (top1, perClass, groups)
    }

    init(plain: [Int], flipped: [Int]?, labels: [Int], classCounts: [Int], rule: ShotGroupRule) {
        let a = Self.accuracies(predictions: plain, labels: labels, classCounts: classCounts, rule: rule)
        (top1, perClass, many, medium, few) = (a.top1, a.perClass, a.groups[.many], a.groups[.medium], a.groups[.few])
        if let flipped {
            let b = Self.accuracies(predictions: flipped, labels: labels, classCounts: classCounts, rule: rule)
            (top1Flip, perClassFlip, manyFlip, mediumFlip, fewFlip) = (b.top1, b.perClass, b.groups[.many], b.groups[.medium], b.groups[.few])
        }
    }
}

extension TrainingModel {
    /// Evaluates on `images` in eval mode (running BN statistics), in batches of `batchSize`.
    func evaluate(_ images: LabeledImages, batchSize: Int, classCounts: [Int], rule: ShotGroupRule, flip: Bool) -> Evaluation {
        let loader = BatchLoader(images: images, batchSize: batchSize, augmentation: .evaluation, order: .sequential, seed: 0)
        var plain: [Int] = [], flipped: [Int] = []
        let batches = loader.epoch(0)
        while var batch = batches.next() {
            Tensor.withoutRecording {
                let x = Tensor(shape: [batch.count, 3, 32, 32], scalars: batch.images)
                let logits = objective.logits(backbone(x, training: false))
                plain += logits.argmaxRows()
                if flip {
                    let mirrored = objective.logits(backbone(x.flippedHorizontally(), training: false))
                    flipped += ((logits + mirrored) * 0.5).argmaxRows()
                }
            }
            batches.recycle(&batch)
        }
        return Evaluation(plain: plain, flipped: flip ? flipped : nil, labels: images.labels, classCounts: classCounts, rule: rule)
    }
}

extension Tensor {
    /// The index of the largest entry of each row of a `[N, K]` tensor (first on ties).
    func argmaxRows() -> [Int] {
        let (n, k) = (shape[0], shape[1])
        let values = scalars
        return (0..<n).map { i in
            var best = 0
            for j in 1..<k where values[i * k + j] > values[i * k + best] { best = j }
            return best
        }
    }
}
