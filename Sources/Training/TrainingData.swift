import Foundation
import Datasets

/// The images a run trains and evaluates on: a long-tailed training set and the balanced test set.
public struct TrainingData: Sendable {
    public var train: LabeledImages
    public var test: LabeledImages
    public var classCount: Int
    /// Training images per class.
    public var classCounts: [Int]
    /// Fingerprint of the kept training indices (nil for in-memory data).
    public var subsetSHA256: String?

    public init(train: LabeledImages, test: LabeledImages, classCount: Int, subsetSHA256: String? = nil) {
        self.train = train
        self.test = test
        self.classCount = classCount
        self.classCounts = train.classCounts(classCount: classCount)
        self.subsetSHA256 = subsetSHA256
    }

    /// The long-tailed subset of `dataset`'s training split (METHOD.md §1): `profile` with
    /// imbalance factor `imbalance`, images chosen by `policy`; the test split stays balanced.
    /// Throws for an imbalance factor that leaves a class without images.
    public static func longTail(_ dataset: CIFARDataset, imbalance: Double, profile: ImbalanceProfile = .exponential,
                                policy: SelectionPolicy) throws -> TrainingData {
        let subset = try LongTailSubset(balancedLabels: dataset.train.labels, classCount: dataset.classCount, profile: profile,
                                    imbalance: imbalance, policy: policy)
        return TrainingData(train: dataset.train.subset(subset.indices), test: dataset.test, classCount: dataset.classCount,
                            subsetSHA256: subset.indicesSHA256)
    }

    /// Generated images in memory (Datasets' `SyntheticImages`), `perClass[c]` training images of
    /// class c and `testPerClass` of each class for testing: tests and smoke runs.
    public static func synthetic(perClass: [Int], testPerClass: Int, seed: UInt64) -> TrainingData {
        func images(_ counts: [Int], stream: UInt64) -> LabeledImages {
            var rng = SplitMix64(seed: seed, stream: stream)
            let labels = counts.enumerated().flatMap { c, n in [Int](repeating: c, count: n) }
            var pixels = [UInt8](repeating: 0, count: labels.count * CIFARFormat.imageBytes)
            for (i, label) in labels.enumerated() {
                SyntheticImages.draw(label: label, classCount: counts.count, rng: &rng, into: &pixels,
                                     offset: i * CIFARFormat.imageBytes)
            }
            return LabeledImages(pixels: pixels, labels: labels)
        }
        return TrainingData(train: images(perClass, stream: 1),
                            test: images([Int](repeating: testPerClass, count: perClass.count), stream: 2),
                            classCount: perClass.count)
    }
}
