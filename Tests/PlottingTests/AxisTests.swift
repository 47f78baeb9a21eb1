import XCTest
@testable import Plotting

final class AxisTests: XCTestCase {
    func testLinearTicksAreNiceAndCoverTheData() {
        let axis = Axis(covering: [0.13, 0.87], label: "")
        XCTAssertEqual(axis.lower, 0, accuracy: 1e-12)
        XCTAssertEqual(axis.upper, 1, accuracy: 1e-12)
        XCTAssertEqual(axis.ticks.count, 6)
        XCTAssertEqual(axis.ticks.map(axis.format), ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let accuracy = Axis(covering: [37.2, 91.5], include: [0], label: "")
        XCTAssertEqual(accuracy.ticks.map(accuracy.format), ["0", "20", "40", "60", "80", "100"])
        let quarter = Axis(covering: [0, 1.1], label: "", maxTicks: 6)
        XCTAssertEqual(quarter.ticks.map(quarter.format), ["0", "0.25", "0.50", "0.75", "1.00", "1.25"])
    }

    func testLogTicksArePowersOfTen() {
        let axis = Axis(.log10, covering: [5, 5000], label: "")
        XCTAssertEqual([axis.lower, axis.upper], [5, 5000])
        XCTAssertEqual(axis.ticks, [10, 100, 1000])
        XCTAssertEqual(axis.ticks.map(axis.format), ["10", "100", "1000"])
        XCTAssertEqual(axis.fraction(50), 1.0 / 3, accuracy: 1e-12)
        let short = Axis(.log10, covering: [12, 480], label: "")
        XCTAssertEqual(short.ticks, [10, 20, 50, 100, 200, 500])
        let rates = Axis(.log10, covering: [1e-4, 0.1], label: "")
        XCTAssertEqual(rates.ticks.map(rates.format), ["10⁻⁴", "10⁻³", "10⁻²", "10⁻¹"])
    }

    func testIntegerTicksForEpochs() {
        let epochs = Axis(covering: [1, 13], label: "", integerTicks: true)
        XCTAssertEqual(epochs.ticks.map(epochs.format), ["0", "2", "4", "6", "8", "10", "12", "14"])
        let three = Axis(covering: [1, 3], label: "", integerTicks: true)
        XCTAssertEqual(three.ticks.map(three.format), ["1", "2", "3"])
        let plain = Axis(covering: [1, 13], label: "")
        XCTAssertEqual(plain.ticks.map(plain.format), ["0", "2.5", "5.0", "7.5", "10.0", "12.5", "15.0"])
    }

    func testAnAxisThatEndsAtTheDataStopsAtItsLargestValue() {
        let epochs = Axis(covering: [1, 210], label: "", integerTicks: true, endsAtData: true)
        XCTAssertEqual([epochs.lower, epochs.upper], [0, 210])
        XCTAssertEqual(epochs.ticks.map(epochs.format), ["0", "50", "100", "150", "200"])
        let rounded = Axis(covering: [1, 210], label: "", integerTicks: true)
        XCTAssertEqual(rounded.upper, 250, "without it the domain ends on the next tick")
        let onTick = Axis(covering: [1, 200], label: "", integerTicks: true, endsAtData: true)
        XCTAssertEqual(onTick.ticks.last, 200)
    }

    func testDegenerateRangeStillHasTicks() {
        let axis = Axis(covering: [3, 3, 3], label: "")
        XCTAssertLessThan(axis.lower, 3)
        XCTAssertGreaterThan(axis.upper, 3)
        XCTAssertGreaterThanOrEqual(axis.ticks.count, 2)
    }
}
