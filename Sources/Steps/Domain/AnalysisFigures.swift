import Foundation
import Analysis
import Datasets
import Pipeline
import Plotting
import Store

/// Figures drawn from `analyse` steps' artifacts: the t-SNE of test features and the classifier
/// norms against class size.
enum AnalysisFigures {
    /// The t-SNE of `analysis`'s test features, titled with the run it analysed (`runName`).
    static func tsne(_ analysis: StepInput, runName: String) throws -> Figure {
        let coordinates = try NPYFile.readFloats(from: try analysis.artifact("tsne.npy")).values
        let labels = try NPYFile.readInts(from: try analysis.artifact("tsne_labels.npy")).values
        let counts = trainCounts(analysis)
        let classCount = max(counts.count, (labels.max() ?? 0) + 1)
        let names = classCount == cifar10Names.count ? cifar10Names : (0..<classCount).map { "class \($0)" }
        let tail = tailClasses(counts)
        return Figure([ScatterChart(title: "t-SNE of test features: \(runName)", coordinates: coordinates, classes: labels,
                                    classNames: names, tailClasses: tail.classes, tailName: tail.name, headName: tail.headName)],
                      panelWidth: 560, height: 480)
    }

    static let cifar10Names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

    /// Classes outside the Many group (≤ 100 training images), named by the shot groups the tables
    /// use ("medium/few": CIFAR-10-LT IF 100 has no Few class, so its tail is Medium); when that is
    /// every class (tiny generated data), the classes below the median size.
    static func tailClasses(_ counts: [Int]) -> (classes: Set<Int>, name: String, headName: String) {
        let notMany = Set(counts.indices.filter { counts[$0] <= 100 })
        guard notMany.count == counts.count else { return (notMany, "medium/few", "many") }
        let median = counts.sorted()[counts.count / 2]
        return (Set(counts.indices.filter { counts[$0] < median }), "below median size", "median size or more")
    }

    /// ‖w_k‖ against n_k, one series per analysis with a classifier, named after the run it
    /// analysed (`runNames`, by analysis key) and drawn in that run's look; nil when none has one.
    static func classifierNorms(_ analyses: [StepInput], runNames: [String: String], looks: FigureSeriesLooks) throws -> Figure? {
        var series: [LineChart.Series] = []
        for analysis in analyses {
            guard let url = analysis.artifacts["classifier_weights.npy"] else { continue }
            let (weights, shape) = try NPYFile.readFloats(from: url)
            let counts = trainCounts(analysis)
            guard shape.count == 2, shape[0] == counts.count else { continue }
            let norms = (0..<shape[0]).map { k in
                Double(weights[(k * shape[1])..<((k + 1) * shape[1])].reduce(0) { $0 + $1 * $1 }.squareRoot())
            }
            series.append(looks.styled(LineChart.Series(runNames[analysis.key] ?? analysis.name, x: counts.map(Double.init), y: norms)))
        }
        guard !series.isEmpty else { return nil }
        return Figure([LineChart(title: "Classifier norm vs class size", series: series, xLabel: "training images of the class",
                                 yLabel: "norm of the class's classifier row ‖w‖", xKind: .log10, lines: false, markers: true)])
    }

    /// Training images per class, from the `class_count` metrics the analyse step records.
    static func trainCounts(_ analysis: StepInput) -> [Int] {
        let values = TrainingFigures.classValues(analysis, .classCount, split: .train)
        return (0..<values.count).map { Int(values[$0] ?? 0) }
    }
}
