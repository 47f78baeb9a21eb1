import XCTest
import Pipeline
import Plotting
@testable import Steps

/// The training-curve figure: one colour per series in every panel and one legend naming each
/// series once, even when a panel lacks some series (a run evaluated only at its end).
final class TrainingFiguresTests: XCTestCase {
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
        let figure = try XCTUnwrap(TrainingFigures.curves([run("train-ce", epochs: 10, evaluated: []),
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
        let narrow = try XCTUnwrap(TrainingFigures.curves([run("train-ce", epochs: 210, evaluated: [9, 209])]))
        let panels = narrow.panels.compactMap { $0 as? LineChart }
        XCTAssertEqual(panels.map(\.xAxis.upper), [210, 210, 210])
        XCTAssertEqual(panels[0].yAxis.kind, .linear, "losses 2.0 … −0.09: not positive, linear")
        var converged = run("train-ce", epochs: 20, evaluated: [])
        converged.metrics = converged.metrics.map { m in
            m.name == "loss" ? Metric("loss", 9 * pow(0.7, Double(m.epoch!)), epoch: m.epoch, split: .train) : m
        }
        let wide = try XCTUnwrap(TrainingFigures.curves([converged]))
        XCTAssertEqual((wide.panels[0] as? LineChart)?.yAxis.kind, .log10, "9 … 0.01 spans three decades")
        XCTAssertFalse(TrainingFigures.spansDecades([LineChart.Series("bce3s", x: [1, 2], y: [9.9, 8.4])]))
        XCTAssertTrue(TrainingFigures.spansDecades([LineChart.Series("ce", x: [1, 2], y: [1.4, 0.02]),
                                                    LineChart.Series("bce3s", x: [1, 2], y: [9.9, 8.4])]))
    }

    func testRunsOfOneEpochDrawNoCurves() {
        XCTAssertNil(TrainingFigures.curves([run("train-ce", epochs: 1, evaluated: [0])]))
    }
}
