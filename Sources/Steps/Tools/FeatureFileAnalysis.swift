import Foundation
import Analysis
import Datasets

/// The analyses `bce3s analyse` runs on saved `.npy` files outside any pipeline: the same `TSNE`
/// and `GeometryReport` as the `analyse` step, on files a user brings (features `<f4` N × d,
/// labels `<i8` N). The command only parses its options and prints what these return.
public enum FeatureFileAnalysis {
    /// A t-SNE embedding written to a file: the input's size, the final KL divergence, the KL
    /// divergence along the way and the wall-clock seconds of the embedding.
    public struct Embedding {
        public let count: Int
        public let dimension: Int
        public let klDivergence: Double
        public let history: [(iteration: Int, kl: Double)]
        public let seconds: Double
    }

    /// Embeds the rows of `input` in 2-D and writes them to `output` (`<f4` N × 2, atomically).
    public static func tsne(input: URL, output: URL, seed: UInt64, perplexity: Double, iterations: Int) throws -> Embedding {
        let (values, shape) = try NPYFile.readFloats(from: input)
        guard shape.count == 2 else {
            throw NPYFile.FormatError(path: input.path, field: "shape", expected: "2 dimensions (N, d)", found: "\(shape)")
        }
        var configuration = TSNE.Configuration()
        configuration.seed = seed
        configuration.perplexity = perplexity
        configuration.iterations = iterations
        let start = Date()
        let result = try TSNE(configuration).embed(values, count: shape[0], dimension: shape[1])
        let seconds = Date().timeIntervalSince(start)
        try NPYFile.write(result.coordinates, shape: [shape[0], 2], to: output)
        return Embedding(count: shape[0], dimension: shape[1], klDivergence: result.klDivergence, history: result.history,
                         seconds: seconds)
    }

    /// Geometry metrics (`GeometryReport.metrics`, in its order) and the seconds they took.
    public struct Geometry {
        public let metrics: [(name: String, value: Double)]
        public let seconds: Double
    }

    /// The geometry of the features in `features` labelled by `labels`, with the class sizes and
    /// shot groups (`ShotGroupRule.standard`) counted from `trainingLabels` (default: `labels`),
    /// `classCount` classes (default: largest label + 1) and optionally the classifier `K × d`.
    public static func geometry(features: URL, labels: URL, classifierWeights: URL?, trainingLabels: URL?,
                                classCount: Int?) throws -> Geometry {
        let (values, shape) = try NPYFile.readFloats(from: features)
        guard shape.count == 2 else {
            throw NPYFile.FormatError(path: features.path, field: "shape", expected: "(N, d)", found: "\(shape)")
        }
        let labelValues = try NPYFile.readInts(from: labels).values
        let trainValues = try trainingLabels.map { try NPYFile.readInts(from: $0).values } ?? labelValues
        let classCount = classCount ?? ((labelValues + trainValues).max() ?? 0) + 1
        var counts = [Int](repeating: 0, count: classCount)
        for label in trainValues where label >= 0 && label < classCount { counts[label] += 1 }
        let groups = ShotGroupRule.standard.groups(classCounts: counts).map(\.rawValue)
        let weights = try classifierWeights.map { try NPYFile.readFloats(from: $0).values }
        let start = Date()
        let set = try LabelledFeatures(values: values, dimension: shape[1], labels: labelValues, classCount: classCount)
        let report = try GeometryReport(features: set, trainingCounts: counts, groups: groups, classifierWeights: weights)
        return Geometry(metrics: report.metrics, seconds: Date().timeIntervalSince(start))
    }
}
