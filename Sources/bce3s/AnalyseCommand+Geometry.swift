import ArgumentParser
import Foundation
import Steps

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

    @Option(parsing: .unconditional, help: "Number of classes (default: largest label + 1).")
    var classes: Int?

    @Flag(help: "Print one JSON object of metric name → value (null where a metric is undefined, e.g. NaN).")
    var json = false

    func run() throws {
        let report = try FeatureFileAnalysis.geometry(features: URL(fileURLWithPath: features), labels: URL(fileURLWithPath: labels),
                                                      classifierWeights: weights.map { URL(fileURLWithPath: $0) },
                                                      trainingLabels: trainLabels.map { URL(fileURLWithPath: $0) }, classCount: classes)
        let seconds = report.seconds
        if json {
            var object = Dictionary(report.metrics.map { ($0.name, $0.value.isFinite ? $0.value : nil) }) { first, _ in first }
            object["seconds"] = (seconds * 1000).rounded() / 1000
            print(try JSONOutput.line(object))
        } else {
            for (name, value) in report.metrics { print(name.padding(toLength: 32, withPad: " ", startingAt: 0) + String(format: "%.6g", value)) }
        }
    }
}
