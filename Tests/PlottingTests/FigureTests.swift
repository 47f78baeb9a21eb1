import Foundation
import XCTest
@testable import Plotting

/// Renders every chart kind on synthetic data, writes PNGs and reads them back with libpng.
/// Set BCE3S_FIGURE_DIR to keep the PNGs for a look.
final class FigureTests: XCTestCase {
    var directory: URL!
    let provenance = Provenance(pipeline: "pipelines/smoke.yaml", stepKey: "3f2a9c", codeVersion: "abc1234",
                                extra: ["dataset": "cifar10-lt", "method": "BCE3S"])

    override func setUpWithError() throws {
        if let keep = ProcessInfo.processInfo.environment["BCE3S_FIGURE_DIR"] {
            directory = URL(fileURLWithPath: keep)
        } else {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("figures-\(UUID().uuidString)")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if ProcessInfo.processInfo.environment["BCE3S_FIGURE_DIR"] == nil { try FileManager.default.removeItem(at: directory) }
    }

    /// Writes `figure`, decodes it and checks size, format, provenance and that it is not blank.
    @discardableResult
    func roundTrip(_ figure: Figure, name: String) throws -> PNGFile.Decoded {
        let url = directory.appendingPathComponent(name)
        try figure.write(to: url, provenance: provenance)
        let png = try PNGFile.read(url)
        XCTAssertEqual(png.width, Int(figure.width * 2))
        XCTAssertEqual(png.height, Int(figure.height * 2))
        XCTAssertEqual(png.colorType, 6)
        XCTAssertEqual(png.bitDepth, 8)
        XCTAssertEqual(png.text("pipeline"), "pipelines/smoke.yaml")
        XCTAssertEqual(png.text("step_key"), "3f2a9c")
        XCTAssertEqual(png.text("code_version"), "abc1234")
        XCTAssertEqual(png.text("method"), "BCE3S")
        XCTAssertEqual(png.text("Software"), "bce3s")
        XCTAssertEqual(png.text("Title"), figure.panels.map(\.title).joined(separator: " | "))
        let inked = stride(from: 0, to: png.rgba.count, by: 4).filter { png.rgba[$0] < 200 || png.rgba[$0 + 1] < 200 || png.rgba[$0 + 2] < 200 }.count
        XCTAssertGreaterThan(inked, png.width * png.height / 200, "\(name) looks blank")
        return png
    }

    /// Whether some pixel (in the logical x range `columns`, if given) is within `tolerance` of `color`.
    func contains(_ png: PNGFile.Decoded, _ color: Color, columns: ClosedRange<Double>? = nil, tolerance: Int = 6) -> Bool {
        let target = [color.red, color.green, color.blue].map { Int(($0 * 255).rounded()) }
        let scale = 2.0
        return stride(from: 0, to: png.rgba.count, by: 4).contains { i in
            let x = Double((i / 4) % png.width) / scale
            return (columns?.contains(x) ?? true) && (0..<3).allSatisfy { abs(Int(png.rgba[i + $0]) - target[$0]) <= tolerance }
        }
    }

    func testScatterColoursClassesAndKeepsTailVisible() throws {
        var coordinates: [Float] = [], classes: [Int] = []
        for c in 0..<10 {
            let angle = Double(c) / 10 * 2 * Double.pi
            for i in 0..<(c < 7 ? 120 : 15) {
                let r = Double(i % 11) * 0.35, phase = Double(i) * 2.4
                coordinates += [Float(12 * cos(angle) + r * cos(phase)), Float(12 * sin(angle) + r * sin(phase))]
                classes.append(c)
            }
        }
        let names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
        let chart = ScatterChart(title: "t-SNE of test features (BCE3S)", coordinates: coordinates, classes: classes,
                                 classNames: names, tailClasses: [7, 8, 9])
        let png = try roundTrip(Figure([chart]), name: "tsne.png")
        XCTAssertTrue(contains(png, Palette.categorical(3, of: 10)))
    }

    func testScatterWithManyClassesUsesAColourBar() throws {
        let coordinates: [Float] = (0..<200).flatMap { i in [Float(i % 20), Float(i / 20)] }
        let chart = ScatterChart(title: "t-SNE, 100 classes", coordinates: coordinates, classes: (0..<200).map { $0 / 2 },
                                 classNames: (0..<100).map { "c\($0)" }, tailClasses: Set(70..<100))
        try roundTrip(Figure([chart]), name: "tsne100.png")
    }

    func testTrainingCurvesInThreePanels() throws {
        let epochs = (1...200).map(Double.init)
        let loss = LineChart(title: "Training loss", series: [
            .init("CE", x: epochs, y: epochs.map { 2.3 * exp(-$0 / 40) + 0.1 }),
            .init("BCE3S", x: epochs, y: epochs.map { 1.9 * exp(-$0 / 35) + 0.15 }),
        ], xLabel: "epoch", yLabel: "loss", yIncludes: [0])
        let accuracy = LineChart(title: "Test accuracy", series: [
            .init("CE", x: epochs, y: epochs.map { 70 * (1 - exp(-$0 / 30)) }),
            .init("BCE3S", x: epochs, y: epochs.map { 84 * (1 - exp(-$0 / 30)) }),
        ], xLabel: "epoch", yLabel: "top-1 accuracy (%)", yIncludes: [0, 100])
        let rate = LineChart(title: "Learning rate", series: [
            .init("schedule", x: epochs, y: epochs.map { $0 <= 5 ? 0.1 * $0 / 5 : ($0 <= 160 ? 0.1 : ($0 <= 180 ? 1e-3 : 1e-5)) }),
        ], xLabel: "epoch", yLabel: "learning rate", yKind: .log10)
        try roundTrip(Figure([loss, accuracy, rate]), name: "curves.png")
    }

    /// A figure-wide legend sits in its own column right of the panels, and a series drawn in
    /// its given colour keeps it even where it is a panel's only series.
    func testOneLegendForAllPanelsAndGivenSeriesColours() throws {
        let epochs = (1...50).map(Double.init)
        let (red, green) = (Palette.bright[1], Palette.bright[2])
        let loss = LineChart(title: "Training loss", series: [
            .init("CE", x: epochs, y: epochs.map { 2 * exp(-$0 / 20) }, color: red),
            .init("BCE3S", x: epochs, y: epochs.map { 1.5 * exp(-$0 / 20) }, color: green),
        ], xLabel: "epoch", yLabel: "loss", showsLegend: false)
        let accuracy = LineChart(title: "Test accuracy", series: [.init("BCE3S", x: epochs, y: epochs.map { 80 * (1 - exp(-$0 / 10)) }, color: green)],
                                 xLabel: "epoch", yLabel: "accuracy (%)", yIncludes: [0, 100], showsLegend: false)
        let figure = Figure([loss, accuracy], legend: [LegendEntry("CE", color: red, marker: nil, line: true),
                                                       LegendEntry("BCE3S", color: green, marker: nil, line: true)])
        XCTAssertGreaterThan(figure.width, 840, "two 420-wide panels and the legend's column")
        let png = try roundTrip(figure, name: "shared-legend.png")
        let secondPanel = 420.0...839.0, legendColumn = 840.0...figure.width
        XCTAssertTrue(contains(png, green, columns: secondPanel))
        XCTAssertFalse(contains(png, Palette.categorical(0, of: 1), columns: secondPanel), "not the palette's first colour")
        XCTAssertFalse(contains(png, red, columns: secondPanel), "CE is not in the second panel, nor its legend")
        XCTAssertTrue(contains(png, red, columns: legendColumn) && contains(png, green, columns: legendColumn), "both samples in the legend column")
    }

    /// Three runs with one learning-rate schedule draw the same line: each colour must still show
    /// (they take turns in dashes), where drawing them solid leaves only the last one.
    func testCurvesOnTopOfEachOtherShowEveryColour() throws {
        let epochs = (1...200).map(Double.init)
        let schedule = epochs.map { $0 <= 160 ? 0.1 : 0.001 }
        let colours = [Palette.bright[0], Palette.bright[1], Palette.bright[2]]
        let chart = LineChart(title: "Learning rate", series: colours.enumerated().map { index, colour in
            .init("run \(index)", x: epochs, y: schedule, color: colour)
        }, xLabel: "epoch", yLabel: "learning rate", showsLegend: false)
        XCTAssertEqual(chart.overlapPlaces.map(\.place), [0, 1, 2])
        XCTAssertEqual(chart.overlapPlaces.map(\.count), [3, 3, 3])
        let png = try roundTrip(Figure([chart]), name: "overlapping.png")
        for colour in colours { XCTAssertTrue(contains(png, colour), "\(colour) is hidden") }
        let apart = LineChart(title: "", series: [.init("a", x: [1, 2], y: [1, 2]), .init("b", x: [1, 2], y: [1, 3])],
                              xLabel: "", yLabel: "")
        XCTAssertEqual(apart.overlapPlaces.map(\.count), [1, 1], "different points: solid lines")
    }

    /// More than 10 runs: every run gets a colour and dash pattern no other has (the first 10 the
    /// categorical colours, solid), and 12 separate curves all show their colour.
    func testMoreThanTenSeriesDifferInColourOrDash() throws {
        let styles = (0..<25).map { Palette.seriesStyle($0, of: 25) }
        XCTAssertEqual(Set(styles.map { "\($0.color)|\($0.dash)" }).count, 25, "two runs look alike")
        XCTAssertEqual((0..<7).map { Palette.seriesStyle($0, of: 7).color }, (0..<7).map { Palette.categorical($0, of: 7) })
        XCTAssertTrue((0..<10).allSatisfy { Palette.seriesStyle($0, of: 10).dash.isEmpty })
        let chart = LineChart(title: "12 runs", series: (0..<12).map { run in
            .init("run \(run)", x: [1, 2, 3], y: [Double(run), Double(run) + 0.5, Double(run) + 1])
        }, xLabel: "epoch", yLabel: "loss")
        let png = try roundTrip(Figure([chart]), name: "twelve.png")
        for run in 0..<12 { XCTAssertTrue(contains(png, Palette.seriesStyle(run, of: 12).color), "run \(run)'s colour is missing") }
    }

    func testPerClassAgainstClassSizeOnALogAxis() throws {
        let sizes = (0..<10).map { 5000 * pow(0.01, Double($0) / 9) }
        let chart = LineChart(title: "Per-class accuracy vs class size", series: [
            .init("CE", x: sizes, y: sizes.map { 40 + 12 * log10($0) }),
            .init("BCE3S", x: sizes, y: sizes.map { 70 + 5 * log10($0) }, spread: sizes.map { _ in 2 }),
        ], xLabel: "training samples of the class (log scale)", yLabel: "test accuracy (%)", xKind: .log10,
           yIncludes: [0, 100], markers: true)
        let norms = LineChart(title: "Classifier norm vs class size", series: [
            .init("CE", x: sizes, y: sizes.map { 0.5 + 0.3 * log10($0) }),
            .init("BCE3S", x: sizes, y: sizes.map { _ in 1.2 }),
        ], xLabel: "training samples of the class (log scale)", yLabel: "‖w_k‖", xKind: .log10, yIncludes: [0], markers: true)
        try roundTrip(Figure([chart, norms], panelWidth: 480), name: "class_size.png")
    }

    func testCosineHeatMapWithColourBar() throws {
        let k = 10
        let matrix = (0..<k).map { a in (0..<k).map { b in a == b ? 1 : -1 / 9 + 0.3 * sin(Double(a * b)) } }
        let png = try roundTrip(Figure([HeatMap(title: "Classifier cosines (CE)", matrix: matrix)], panelWidth: 520, height: 460),
                                name: "cosines.png")
        XCTAssertTrue(contains(png, Palette.diverging(1)))
    }

    func testGroupedBarsWithErrors() throws {
        let chart = GroupedBarChart(title: "Intra-class compactness by shot group", categories: ["many", "medium", "few", "all"], series: [
            .init("CE", values: [85, 81, 76, 82], errors: [3, 5, 7, 5.6]),
            .init("BCE", values: [96, 95.5, 94, 95.5], errors: [1, 1.5, 2.5, 1.8]),
            .init("BCE3S", values: [97, 96, 95, 96], errors: [1, 1, 2, 1.2]),
        ], yLabel: "mean cos(f, μ_c) × 100", categoryLabel: "shot group", yIncludes: [100])
        try roundTrip(Figure([chart]), name: "compactness.png")
    }

    func testCorruptOrMissingFilesAndBadKeysFailClearly() throws {
        let url = directory.appendingPathComponent("broken.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3]).write(to: url)
        XCTAssertThrowsError(try PNGFile.read(url)) { XCTAssertTrue("\($0)".contains("broken.png")) }
        XCTAssertThrowsError(try PNGFile.write(rgba: [0, 0, 0, 255], width: 1, height: 1, texts: [(" bad", "x")], to: url)) {
            XCTAssertTrue("\($0)".contains("text key"))
        }
        XCTAssertThrowsError(try PNGFile.write(rgba: [0, 0, 0, 255], width: 1, height: 1, texts: [],
                                               to: directory.appendingPathComponent("missing/dir/x.png")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("missing").path))
    }
}
