import Foundation
import Pipeline
import Plotting
import Store

/// Figures drawn from `train` steps' metrics (`TrainMetrics`): training curves and per-class
/// accuracy against class size. Each run is one series, named after its step.
enum TrainingFigures {
    /// Loss, test top-1 and learning rate against epoch (1-based, through both stages; the axis
    /// ends at the last epoch). A run with stage 2 gets a second series "<run> (stage 2)": its
    /// loss is another objective. Losses spanning more than a decade are drawn on a log axis.
    /// A panel without a curve (test top-1 when only the final epoch was evaluated) is left out;
    /// nil when no panel has one (runs of a single epoch). Each series keeps its look (`looks`)
    /// in every panel, named once in the figure's legend. The panels share one epoch axis (test
    /// top-1 evaluated from epoch 100 on still starts at 0); when a panel shows a lone point (the
    /// one evaluation after stage 2), every panel's epoch axis gets room for its marker.
    static func curves(_ runs: [StepInput], looks: FigureSeriesLooks) -> Figure? {
        let metrics: [(TrainMetricName, MetricSplit?)] = [(.loss, .train), (.top1, .test), (.lr, nil)]
        let perMetric = metrics.map { metric, split in runs.flatMap { run in stageSeries(run, metric, split: split) }.map(looks.styled) }
        let drawn = perMetric.filter { panel in panel.contains { $0.x.count >= 2 } }.joined()
        let epochs = drawn.flatMap(\.x)
        let span = [epochs.min(), epochs.max()].compactMap { $0 }
        let margin = drawn.contains { $0.x.count == 1 } ? LineChart.markerMargin : 0
        let panels = [
            LineChart(title: "Training loss", series: perMetric[0], xLabel: "epoch", yLabel: "mean loss", xIncludes: span,
                      yKind: spansDecades(perMetric[0]) ? .log10 : .linear, xIntegers: true, xEndsAtData: true,
                      xMargin: margin, showsLegend: false),
            LineChart(title: "Test top-1 (no flip)", series: perMetric[1], xLabel: "epoch", yLabel: "accuracy (%)", xIncludes: span,
                      yIncludes: [0, 100], xIntegers: true, xEndsAtData: true, xMargin: margin, showsLegend: false),
            LineChart(title: "Learning rate", series: perMetric[2], xLabel: "epoch", yLabel: "learning rate", xIncludes: span,
                      xIntegers: true, xEndsAtData: true, xMargin: margin, showsLegend: false),
        ].filter { panel in panel.series.contains { $0.x.count >= 2 } }
        guard !panels.isEmpty else { return nil }
        let shown = seriesNames(runs).filter { name in panels.contains { $0.series.contains { $0.name == name } } }
        return Figure(panels, legend: shown.count < 2 ? [] : shown.map(looks.lineLegend))
    }

    /// The names of every series the figures draw for `runs`, in the order their looks are
    /// given: the runs, then "<run> (stage N)" for each later training stage a run has.
    static func seriesNames(_ runs: [StepInput]) -> [String] {
        let stages = runs.flatMap { run in
            Set(run.metrics.filter { $0.name == TrainMetricName.stage.rawValue && $0.epoch != nil }.map { Int($0.value) })
                .filter { $0 > 1 }.sorted().map { stageName(run.name, $0) }
        }
        return runs.map(\.name) + stages
    }

    private static func stageName(_ run: String, _ stage: Int) -> String { stage == 1 ? run : "\(run) (stage \(stage))" }

    /// Whether the positive values of `series` span more than a decade: then a log axis shows
    /// every method's loss curve (0.02 for a converged CE, 9 for BCE3S's three terms) in its shape
    /// instead of flattening the small ones against zero.
    static func spansDecades(_ series: [LineChart.Series]) -> Bool {
        let values = series.flatMap(\.y).filter { $0.isFinite }
        guard let low = values.min(), let high = values.max(), low > 0 else { return false }
        return high / low > 10
    }

    /// One series per training stage of `run` for the per-epoch metric `metric`.
    private static func stageSeries(_ run: StepInput, _ metric: TrainMetricName, split: MetricSplit?) -> [LineChart.Series] {
        var stageOf: [Int: Int] = [:]
        for m in run.metrics where m.name == TrainMetricName.stage.rawValue { if let epoch = m.epoch { stageOf[epoch] = Int(m.value) } }
        var byStage: [Int: [(epoch: Int, value: Double)]] = [:]
        for m in run.metrics where m.name == metric.rawValue && m.split == split?.rawValue && m.classIndex == nil {
            guard let epoch = m.epoch else { continue }
            byStage[stageOf[epoch] ?? 1, default: []].append((epoch, m.value))
        }
        return byStage.keys.sorted().map { stage in
            let points = byStage[stage]!.sorted { $0.epoch < $1.epoch }
            return LineChart.Series(stageName(run.name, stage), x: points.map { Double($0.epoch + 1) }, y: points.map(\.value))
        }
    }

    /// Each run's final per-class test accuracy against the class's training size (log axis).
    static func perClassAccuracy(_ runs: [StepInput], looks: FigureSeriesLooks) -> Figure {
        let series = runs.map { run -> LineChart.Series in
            let sizes = classValues(run, .classCount, split: .train)
            let accuracy = classValues(run, .classAccuracy, split: .test)
            let classes = sizes.keys.filter { accuracy[$0] != nil }.sorted()
            return looks.styled(LineChart.Series(run.name, x: classes.map { sizes[$0]! }, y: classes.map { accuracy[$0]! }))
        }
        return Figure([LineChart(title: "Per-class test accuracy vs training size", series: series,
                                 xLabel: "training images of the class", yLabel: "accuracy (%)", xKind: .log10,
                                 yIncludes: [0, 100], lines: false, markers: true)])
    }

    /// class → value of the per-class metric `name`.
    static func classValues(_ run: StepInput, _ name: TrainMetricName, split: MetricSplit) -> [Int: Double] {
        var out: [Int: Double] = [:]
        for m in run.metrics where m.name == name.rawValue && m.split == split.rawValue && m.epoch == nil {
            if let c = m.classIndex { out[c] = m.value }
        }
        return out
    }
}
