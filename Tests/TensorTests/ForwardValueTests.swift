import XCTest
@testable import Tensor

/// Forward values against hand-computed results, and numeric edge cases.
final class ForwardValueTests: XCTestCase {
    func testMatmulAndLinearValues() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
        XCTAssertEqual(Tensor.matmul(a, b).scalars, [58, 64, 139, 154])
        let w = Tensor(shape: [1, 3], scalars: [1, 0, -1])
        XCTAssertEqual(Tensor.linear(a, weight: w, bias: Tensor(shape: [1], scalars: [10])).scalars, [8, 8])
        XCTAssertEqual(a.transposed().scalars, [1, 4, 2, 5, 3, 6])
    }

    func testBroadcastValues() {
        let m = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual((m + Tensor(shape: [3], scalars: [10, 20, 30])).scalars, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual((m * Tensor(shape: [2, 1], scalars: [2, -1])).scalars, [2, 4, 6, -4, -5, -6])
        XCTAssertEqual((Tensor(shape: [2, 1], scalars: [1, 2]) - Tensor(shape: [3], scalars: [1, 2, 3])).scalars,
                       [0, -1, -2, 1, 0, -1])
        XCTAssertEqual((1 / m).shape, [2, 3])
    }

    func testReductionValues() {
        let m = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(m.sum().item(), 21)
        XCTAssertEqual(m.mean().item(), 3.5)
        XCTAssertEqual(m.sum(axis: 0).scalars, [5, 7, 9])
        XCTAssertEqual(m.sum(axis: 1).scalars, [6, 15])
        XCTAssertEqual(m.mean(axis: 1, keepingDimension: true).shape, [2, 1])
        XCTAssertEqual(Tensor.zeros([0, 3]).sum().item(), 0)
    }

    func testSoftplusAndSigmoidAreStableAtExtremes() {
        let x = Tensor(shape: [5], scalars: [-100, -20, 0, 20, 100])
        let sp = x.softplus().scalars
        XCTAssertEqual(sp[0], 0, accuracy: 1e-30)
        XCTAssertEqual(sp[1], 2.0611537e-9, accuracy: 1e-14)
        XCTAssertEqual(sp[2], 0.6931472, accuracy: 1e-6)
        XCTAssertEqual(sp[3], 20, accuracy: 1e-6)
        XCTAssertEqual(sp[4], 100)
        let s = x.sigmoid().scalars
        XCTAssertEqual(s[0], 0, accuracy: 1e-30)
        XCTAssertEqual(s[2], 0.5)
        XCTAssertEqual(s[4], 1)
        XCTAssertFalse(s.contains { $0.isNaN })
    }

    func testLogSoftmaxIsStableForHugeLogits() {
        let z = Tensor(shape: [2, 3], scalars: [1000, 0, -1000, 1, 2, 3])
        let y = z.logSoftmax().scalars
        XCTAssertEqual(y[0], 0, accuracy: 1e-6)
        XCTAssertEqual(y[1], -1000, accuracy: 1e-3)
        XCTAssertEqual(Array(y[3...]).map { Foundation.exp($0) }.reduce(0, +), 1, accuracy: 1e-6)
        XCTAssertEqual(y[5], 3 - Foundation.log(Foundation.exp(1) + Foundation.exp(2) + Foundation.exp(3)), accuracy: 1e-5)
    }

    func testL2NormalizationOfZeroRowIsZeroAndFinite() {
        let w = Tensor(shape: [2, 2], scalars: [3, 4, 0, 0], requiresGrad: true)
        let n = w.l2NormalizedRows(eps: 1e-5)
        XCTAssertEqual(n.scalars, [0.6, 0.8, 0, 0])
        n.sum().backward()
        XCTAssertFalse(w.grad!.scalars.contains { !$0.isFinite })
        XCTAssertEqual(w.grad!.scalars[2], 1e5, accuracy: 1)
    }

    func testClampGradientIsZeroOutsideAndOneAtBoundaries() {
        let x = Tensor(shape: [4], scalars: [-2, -1, 1, 2], requiresGrad: true)
        x.clamped(min: -1, max: 1).sum().backward()
        XCTAssertEqual(x.grad!.scalars, [0, 1, 1, 0])
    }

    func testGatherOneHotAndRows() {
        let m = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(m.gather(labels: [2, 0]).scalars, [3, 4])
        XCTAssertEqual(Tensor.oneHot(labels: [1, 0], classes: 3).scalars, [0, 1, 0, 1, 0, 0])
        XCTAssertEqual(m.rows(at: [1, 1, 0]).scalars, [4, 5, 6, 4, 5, 6, 1, 2, 3])
    }

    func testConcatSliceSplitValues() {
        let a = Tensor(shape: [1, 2], scalars: [1, 2]), b = Tensor(shape: [2, 2], scalars: [3, 4, 5, 6])
        let c = Tensor.concat([a, b])
        XCTAssertEqual(c.shape, [3, 2])
        XCTAssertEqual(c.slice(rows: 1..<3).scalars, [3, 4, 5, 6])
        XCTAssertEqual(c.split(rows: [2, 1]).map(\.scalars), [[1, 2, 3, 4], [5, 6]])
    }

    func testLayoutRoundTripKeepsLogicalOrder() {
        let t = testTensor([2, 32, 3, 5])
        for layout in [Layout.channelsLast, .blocked16] {
            let converted = t.converted(to: layout)
            XCTAssertEqual(converted.layout, layout)
            XCTAssertEqual(converted.scalars, t.scalars, "\(layout)")
            XCTAssertNotEqual(converted.withUnsafeScalars { Array($0) }, t.scalars, "\(layout) is a real permutation")
        }
    }
}
