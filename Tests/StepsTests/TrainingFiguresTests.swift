import XCTest
import Pipeline
import Plotting
@testable import Steps

/// The training-curve figure: one colour per series in every panel and one legend naming each
/// series once, even when a panel lacks some series (a run evaluated only at its end); a run
/// keeps its look in the other figures too; no marker sits on a plot's frame.
final class TrainingFiguresTests: XCTestCase {
    /// The training curves of `runs` with the looks a `figures` step gives them.
    private func curves(_ runs: [StepInput]) -> Figure? {
        TrainingFigures.curves(runs, looks: FigureSeriesLooks(names: TrainingFigures.seriesNames(runs)))
    }

    /// A run with loss and learning rate for `epochs` epochs and test top-1 at `evaluated` epochs.
    private func run(_ name: String, epochs: Int, evaluated: [Int], stage2: Int = 0) -> StepInput {
        var metrics: [Metric] = []
        for epoch in 0..<(epochs + stage2) {
            metrics += [Metric("loss", 2 - Double(epoch) / 100, epoch: epoch, split: .train), Metric("lr", 0.1, epoch: epoch),
                        Metric("stage", epoch < epochs ? 1 : 2, epoch: epoch)]
        }
        metrics += evaluated.map { Metric("top1", 40 + Double($0), epoch: $0, split: .test) }
        return StepInput(key: name, name: name, artifacts: [:], metrics: metrics)
    }

    func testEverySeriesKeepsItsColourAcrossPanelsAndIsNamedOnceInTheLegend() throws {
        let figure = try XCTUnwrap(curves([run("train-ce", epochs: 10, evaluated: []),
                                                           run("train-bce3s", epochs: 10, evaluated: [4, 9], stage2: 3)]))
        let panels = figure.panels.compactMap { $0 as? LineChart }
        XCTAssertEqual(panels.map(\.title), ["Training loss", "Test top-1 (no flip)", "Learning rate"])
        XCTAssertEqual(figure.legend.map(\.label), ["train-ce", "train-bce3s", "train-bce3s (stage 2)"])
        XCTAssertTrue(panels.allSatisfy { !$0.showsLegend }, "the figure's legend replaces the panels'")
        for panel in panels {
            for series in panel.series {
                XCTAssertEqual(series.color, figure.legend.first { $0.label == series.name }?.color, "\(panel.title): \(series.name)")
            }
        }
        XCTAssertEqual(panels[1].series.map(\.name), ["train-bce3s"], "CE was never evaluated")
        XCTAssertNotEqual(panels[1].series[0].color, Palette.categorical(0, of: 1), "the colour is the figure's, not the panel's")
    }

    /// The epoch axes end at the last epoch; the loss panel is logarithmic only when the losses
    /// span more than a decade (a converged CE beside BCE3S's three terms), linear otherwise.
    func testEpochAxesEndAtTheLastEpochAndWideLossRangesAreLogarithmic() throws {
        let narrow = try XCTUnwrap(curves([run("train-ce", epochs: 210, evaluated: [9, 209])]))
        let panels = narrow.panels.compactMap { $0 as? LineChart }
        XCTAssertEqual(panels.map(\.xAxis.upper), [210, 210, 210], "no lone point: no margin")
        XCTAssertEqual(panels[0].yAxis.kind, .linear, "losses 2.0 … −0.09: not positive, linear")
        var converged = run("train-ce", epochs: 20, evaluated: [])
        converged.metrics = converged.metrics.map { m in
            m.name == "loss" ? Metric("loss", 9 * pow(0.7, Double(m.epoch!)), epoch: m.epoch, split: .train) : m
        }
        let wide = try XCTUnwrap(curves([converged]))
        XCTAssertEqual((wide.panels[0] as? LineChart)?.yAxis.kind, .log10, "9 … 0.01 spans three decades")
        XCTAssertFalse(TrainingFigures.spansDecades([LineChart.Series("bce3s", x: [1, 2], y: [9.9, 8.4])]))
        XCTAssertTrue(TrainingFigures.spansDecades([LineChart.Series("ce", x: [1, 2], y: [1.4, 0.02]),
                                                    LineChart.Series("bce3s", x: [1, 2], y: [9.9, 8.4])]))
    }

    func testRunsOfOneEpochDrawNoCurves() {
        XCTAssertNil(curves([run("train-ce", epochs: 1, evaluated: [0])]))
    }

    /// Stage 2 evaluated once is a lone point at the last epoch: every panel's epoch axis gets
    /// the same room beyond it, so its marker is inside the frame, and the panels share one
    /// epoch axis although test top-1 was first evaluated at epoch 100.
    func testALonePointAtTheLastEpochIsInsideTheFrameOfEveryPanel() throws {
        let figure = try XCTUnwrap(curves([run("train-bce3s", epochs: 200, evaluated: [99, 199, 209], stage2: 10)]))
        let panels = figure.panels.compactMap { $0 as? LineChart }
        XCTAssertEqual(panels[1].series.map(\.x.count), [2, 1], "stage 1 twice, stage 2 once")
        for panel in panels {
            XCTAssertEqual(panel.xAxis.lower, -210 * LineChart.markerMargin, accuracy: 1e-9, "one axis for all: \(panel.title)")
            XCTAssertEqual(panel.xAxis.upper, 210 + 210 * LineChart.markerMargin, accuracy: 1e-9, panel.title)
            XCTAssertLessThan(panel.xAxis.fraction(210), 1 - 0.02, panel.title)
        }
    }

    /// Looks follow the runs' order, then the stage-2 series, in every figure: with BCE3S (and
    /// its stage 2) listed before CE, CE has one colour and marker in the curves and the
    /// per-class accuracy, and the per-class chart leaves a margin around its markers.
    func testARunKeepsItsLookAcrossFigures() throws {
        var bce3s = run("train-bce3s", epochs: 10, evaluated: [9], stage2: 3), ce = run("train-ce", epochs: 10, evaluated: [9])
        for index in [bce3s, ce].indices {
            let perClass = [0, 1].flatMap { c in [Metric("class_count", c == 0 ? 5000 : 50, classIndex: c, split: .train),
                                                  Metric("class_accuracy", c == 0 ? 100 : 40, classIndex: c, split: .test)] }
            if index == 0 { bce3s.metrics += perClass } else { ce.metrics += perClass }
        }
        let runs = [bce3s, ce]
        XCTAssertEqual(TrainingFigures.seriesNames(runs), ["train-bce3s", "train-ce", "train-bce3s (stage 2)"])
        let looks = FigureSeriesLooks(names: TrainingFigures.seriesNames(runs))
        let legend = try XCTUnwrap(TrainingFigures.curves(runs, looks: looks)).legend
        let chart = try XCTUnwrap(TrainingFigures.perClassAccuracy(runs, looks: looks).panels.first as? LineChart)
        for series in chart.series {
            XCTAssertEqual(series.color, legend.first { $0.label == series.name }?.color, series.name)
        }
        XCTAssertEqual(chart.series.map(\.marker), [.circle, .square])
        XCTAssertGreaterThan(chart.xAxis.fraction(50), 0.02, "the smallest class is inside the frame")
        XCTAssertLessThan(chart.yAxis.fraction(100), 0.98, "100 % is inside the frame")
    }
}
