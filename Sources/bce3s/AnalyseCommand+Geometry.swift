import Analysis
import ArgumentParser
import Datasets
import Foundation

/// `bce3s analyse geometry`: the geometry figures of saved features (and classifier).
struct AnalyseGeometry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geometry",
        abstract: "Compactness, separability, Fisher ratio, neural-collapse figures and classifier balance of saved features.")

    @Option(help: "Features .npy, float32 N × d.")
    var features: String

    @Option(help: "Labels .npy, int64 N.")
    var labels: String

    @Option(help: "Classifier weights .npy, float32 K × d (optional).")
    var weights: String?

    @Option(help: "Training labels .npy, int64, for the class sizes and shot groups (default: --labels).")
    var trainLabels: String?

    @Option(help: "Number of classes (default: largest label + 1).")
    var classes: Int?

    @Flag(help: "Print one JSON object of metric name → value (null where a metric is undefined, e.g. NaN).")
    var json = false

    func run() throws {
        let (values, shape) = try NPYFile.readFloats(from: URL(fileURLWithPath: features))
        guard shape.count == 2 else { throw ValidationError("\(features): field 'shape': expected (N, d), found \(shape)") }
        let labelValues = try NPYFile.readInts(from: URL(fileURLWithPath: labels)).values
        let trainValues = try trainLabels.map { try NPYFile.readInts(from: URL(fileURLWithPath: $0)).values } ?? labelValues
        let classCount = classes ?? ((labelValues + trainValues).max() ?? 0) + 1
        var counts = [Int](repeating: 0, count: classCount)
        for label in trainValues where label >= 0 && label < classCount { counts[label] += 1 }
        let groups = ShotGroupRule.standard.groups(classCounts: counts).map(\.rawValue)
        let w = try weights.map { try NPYFile.readFloats(from: URL(fileURLWithPath: $0)).values }
        let start = Date()
        let set = try LabelledFeatures(values: values, dimension: shape[1], labels: labelValues, classCount: classCount)
        let report = try GeometryReport(features: set, trainingCounts: counts, groups: groups, classifierWeights: w)
        let seconds = Date().timeIntervalSince(start)
        if json {
            var object = Dictionary(report.metrics.map { ($0.name, $0.value.isFinite ? $0.value : nil) }) { first, _ in first }
            object["seconds"] = (seconds * 1000).rounded() / 1000
            print(try JSONOutput.line(object))
        } else {
            for (name, value) in report.metrics { print(name.padding(toLength: 32, withPad: " ", startingAt: 0) + String(format: "%.6g", value)) }
        }
    }
}
