import XCTest
@testable import Tensor

/// Behaviour of the tape itself: recording rules, accumulation, graph release, no-grad scope, RNG.
final class AutogradTests: XCTestCase {
    func testLeafGradientsAccumulateAcrossBackwardCalls() {
        let x = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        (x * 3).sum().backward()
        (x * x).sum().backward()
        XCTAssertEqual(x.grad!.scalars, [5, 7])
        x.zeroGrad()
        XCTAssertNil(x.grad)
    }

    func testConstantsGetNoGradientAndResultsWithoutGradientInputsRecordNothing() {
        let c = Tensor(shape: [2], scalars: [1, 2])
        let x = Tensor(shape: [2], scalars: [3, 4], requiresGrad: true)
        let y = (c * x).sum()
        XCTAssertTrue(y.requiresGrad)
        y.backward()
        XCTAssertNil(c.grad)
        XCTAssertEqual(x.grad!.scalars, [1, 2])
        XCTAssertFalse((c * c).requiresGrad)
    }

    func testWithoutRecordingBuildsNoGraph() {
        let x = Tensor(shape: [2], scalars: [3, 4], requiresGrad: true)
        let y = Tensor.withoutRecording { (x * x).sum() }
        XCTAssertFalse(y.requiresGrad)
        XCTAssertFalse(y.hasGraph)
        XCTAssertEqual(y.item(), 25)
        XCTAssertTrue((x * x).requiresGrad, "recording resumes after the scope")
    }

    func testDetachedCutsTheGraph() {
        let x = Tensor(shape: [2], scalars: [3, 4], requiresGrad: true)
        let y = (x * x.detached()).sum()
        y.backward()
        XCTAssertEqual(x.grad!.scalars, [3, 4])
    }

    func testBackwardReleasesTheGraph() {
        let x = Tensor(shape: [2], scalars: [3, 4], requiresGrad: true)
        let hidden = x.exp()
        hidden.sum().backward()
        XCTAssertFalse(hidden.hasGraph)
    }

    func testSeededGeneratorIsDeterministicAndWellSpread() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let ta = Tensor.randomNormal([4000], using: &a), tb = Tensor.randomNormal([4000], using: &b)
        XCTAssertEqual(ta.scalars, tb.scalars)
        XCTAssertNotEqual(ta.scalars, Tensor.randomNormal([4000], using: &c).scalars)
        let values = ta.scalars.map(Double.init)
        let mean = values.reduce(0, +) / 4000, variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4000
        XCTAssertEqual(mean, 0, accuracy: 0.06)
        XCTAssertEqual(variance, 1, accuracy: 0.08)
        let u = Tensor.randomUniform([4000], low: -2, high: 3, using: &a).scalars
        XCTAssertGreaterThanOrEqual(u.min()!, -2)
        XCTAssertLessThan(u.max()!, 3)
        XCTAssertEqual(Double(u.reduce(0, +)) / 4000, 0.5, accuracy: 0.1)
    }
}
