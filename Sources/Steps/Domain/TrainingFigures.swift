import Foundation
import Pipeline
import Plotting

/// Figures drawn from `train` steps' metrics (`TrainMetrics`): training curves and per-class
/// accuracy against class size. Each run is one series, named after its step.
enum TrainingFigures {
    static func curves(_ runs: [StepInput]) -> Figure {
        func series(_ metric: String, split: String?) -> [LineChart.Series] {
            runs.map { run in
                let points = run.metrics.filter { $0.name == metric && $0.split == split && $0.epoch != nil && $0.classIndex == nil }
                    .sorted { $0.epoch! < $1.epoch! }
                return LineChart.Series(run.name, x: points.map { Double($0.epoch! + 1) }, y: points.map(\.value))
            }
        }
        return Figure([
            LineChart(title: "Training loss", series: series("loss", split: "train"), xLabel: "epoch", yLabel: "mean loss"),
            LineChart(title: "Test top-1 (no flip)", series: series("top1", split: "test"), xLabel: "epoch",
                      yLabel: "accuracy (%)", yIncludes: [0, 100]),
            LineChart(title: "Learning rate", series: series("lr", split: nil), xLabel: "epoch", yLabel: "learning rate"),
        ])
    }

    static func perClassAccuracy(_ runs: [StepInput]) -> Figure {
        let series = runs.map { run -> LineChart.Series in
            let sizes = classValues(run, "class_count", split: "train")
            let accuracy = classValues(run, "class_accuracy", split: "test")
            let classes = sizes.keys.filter { accuracy[$0] != nil }.sorted()
            return LineChart.Series(run.name, x: classes.map { sizes[$0]! }, y: classes.map { accuracy[$0]! })
        }
        return Figure([LineChart(title: "Per-class test accuracy vs training size", series: series,
                                 xLabel: "training images of the class", yLabel: "accuracy (%)", xKind: .log10,
                                 yIncludes: [0, 100], lines: false, markers: true)])
    }

    /// class → value of the per-class metric `name`.
    static func classValues(_ run: StepInput, _ name: String, split: String) -> [Int: Double] {
        var out: [Int: Double] = [:]
        for m in run.metrics where m.name == name && m.split == split && m.epoch == nil {
            if let c = m.classIndex { out[c] = m.value }
        }
        return out
    }
}
