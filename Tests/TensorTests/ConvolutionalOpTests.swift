import XCTest
@testable import Tensor

/// The oneDNN CNN ops against the naive `Reference` kernels (forward) and finite differences (backward).
final class ConvolutionalOpTests: XCTestCase {
    // One thread: the finite-difference checks run thousands of tiny kernels, and OpenMP
    // barriers on a busy two-core machine would dominate their time.
    override func invokeTest() { ComputeThreads.with(1) { super.invokeTest() } }

    func assertClose(_ a: [Float], _ b: [Float], _ tolerance: Float, _ message: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, message, file: file, line: line)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance, "\(message): max |difference| \(worst)", file: file, line: line)
    }

    func testConvolutionMatchesReference() {
        let cases: [(x: [Int], layout: Layout, out: Int, k: Int, stride: Int, padding: Int)] = [
            ([2, 3, 8, 8], .standard, 16, 3, 1, 1),      // network stem: plain image in, blocked out
            ([2, 16, 8, 8], .blocked16, 32, 3, 2, 1),    // downsampling block
            ([2, 16, 7, 7], .blocked16, 32, 1, 2, 0),    // 1×1 projection shortcut, odd size
            ([1, 8, 5, 5], .channelsLast, 8, 3, 1, 1),   // channels that do not fill a block
            ([2, 32, 6, 6], .blocked16, 32, 3, 1, 1),    // Winograd
        ]
        for (i, c) in cases.enumerated() {
            let x = testTensor(c.x, seed: UInt64(i)).converted(to: c.layout)
            let w = testTensor([c.out, c.x[1], c.k, c.k], seed: UInt64(10 + i))
            let y = Tensor.conv2d(x, weight: w, stride: c.stride, padding: c.padding)
            let expected = Reference.conv2d(x, weight: w, stride: c.stride, padding: c.padding)
            XCTAssertEqual(y.shape, expected.shape, "case \(i)")
            XCTAssertEqual(y.layout, .activation(channels: c.out), "case \(i)")
            assertClose(y.scalars, expected.scalars, 2e-4, "conv case \(i)")
        }
    }

    func testConvolutionGradients() {
        checkGradients("conv 3×3 s1 p1", [testTensor([2, 3, 5, 5]), testTensor([16, 3, 3, 3], seed: 3)]) {
            Tensor.conv2d($0[0], weight: $0[1], stride: 1, padding: 1)
        }
        checkGradients("conv 3×3 s2 p1 blocked", [testTensor([2, 16, 6, 6]).converted(to: .blocked16),
                                                  testTensor([32, 16, 3, 3], seed: 4) * 0.3]) {
            Tensor.conv2d($0[0], weight: $0[1], stride: 2, padding: 1)
        }
        checkGradients("conv 1×1 s2", [testTensor([2, 8, 5, 5]).converted(to: .channelsLast), testTensor([16, 8, 1, 1], seed: 5)]) {
            Tensor.conv2d($0[0], weight: $0[1], stride: 2, padding: 0)
        }
    }

    func testWinogradIsChosenFromThirtyTwoChannelsAndDifferentiates() {
        let x = testTensor([2, 32, 6, 6]).converted(to: .blocked16), w = testTensor([32, 32, 3, 3], seed: 6) * 0.2
        XCTAssertTrue(ConvolutionPlan.plan(x: x, weight: w, stride: 1, padding: 1, training: true).usesWinograd)
        XCTAssertFalse(ConvolutionPlan.plan(x: testTensor([2, 16, 6, 6]).converted(to: .blocked16), weight: testTensor([16, 16, 3, 3]),
                                            stride: 1, padding: 1, training: true).usesWinograd)
        checkGradients("conv Winograd", [x, w]) { Tensor.conv2d($0[0], weight: $0[1], stride: 1, padding: 1) }
    }

    func testBatchNormTrainingMatchesReferenceAndUpdatesRunningStatistics() {
        let x = (testTensor([4, 16, 3, 3]) * 2 + 0.5).converted(to: .blocked16)
        let (weight, bias) = (testTensor([16], low: 0.5, high: 1.5, seed: 8), testTensor([16], seed: 9))
        let (rm, rv) = (Tensor.zeros([16]), Tensor.ones([16]))
        for relu in [false, true] {
            let (rm0, rv0) = (rm.scalars, rv.scalars)
            let y = Tensor.batchNorm(x, weight: weight, bias: bias, runningMean: rm, runningVariance: rv,
                                     training: true, momentum: 0.1, relu: relu)
            let stats = Reference.channelStatistics(x)
            let expected = Reference.batchNorm(x, mean: stats.mean, variance: stats.variance, weight: weight.scalars,
                                               bias: bias.scalars, eps: 1e-5, relu: relu)
            XCTAssertEqual(y.layout, .blocked16)
            assertClose(y.scalars, expected.scalars, 1e-4, "batch norm training relu=\(relu)")
            let n: Float = 36
            assertClose(rm.scalars, zip(rm0, stats.mean).map { 0.9 * $0 + 0.1 * $1 }, 1e-6, "running mean")
            assertClose(rv.scalars, zip(rv0, stats.variance).map { 0.9 * $0 + 0.1 * $1 * n / (n - 1) }, 1e-5, "running variance")
        }
    }

    func testBatchNormEvalUsesRunningStatisticsAndLeavesThem() {
        let x = testTensor([2, 16, 3, 3]).converted(to: .blocked16)
        let (weight, bias) = (testTensor([16], seed: 8), testTensor([16], seed: 9))
        let (rm, rv) = (testTensor([16], seed: 10), testTensor([16], low: 0.5, high: 2, seed: 11))
        let y = Tensor.batchNorm(x, weight: weight, bias: bias, runningMean: rm, runningVariance: rv, training: false)
        let expected = Reference.batchNorm(x, mean: rm.scalars, variance: rv.scalars, weight: weight.scalars,
                                           bias: bias.scalars, eps: 1e-5, relu: false)
        assertClose(y.scalars, expected.scalars, 1e-5, "batch norm eval")
        XCTAssertEqual(rm.scalars, testTensor([16], seed: 10).scalars)
    }

    func testBatchNormGradients() {
        let x = testTensor([3, 16, 2, 2]) * 2
        for (training, relu) in [(true, false), (true, true), (false, false), (false, true)] {
            let (rm, rv) = (testTensor([16], seed: 10), testTensor([16], low: 0.5, high: 2, seed: 11))
            checkGradients("batch norm training=\(training) relu=\(relu)",
                           [x.converted(to: .blocked16), testTensor([16], low: 0.5, high: 1.5, seed: 8), testTensor([16], seed: 9)],
                           eps: 2e-3, atol: 5e-3, rtol: 3e-2) {
                Tensor.batchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: rm, runningVariance: rv,
                                 training: training, relu: relu)
            }
        }
    }

    func testPoolingMatchesReferenceAndDifferentiates() {
        let x = testTensor([2, 16, 8, 8]).converted(to: .blocked16)
        assertClose(x.avgPool2d(kernel: 4).scalars, Reference.avgPool2d(x, kernel: 4).scalars, 1e-6, "avg pool 4")
        assertClose(x.globalAvgPool().scalars, Reference.avgPool2d(x, kernel: 8).scalars, 1e-6, "global pool")
        XCTAssertEqual(x.globalAvgPool().shape, [2, 16])
        checkGradients("avgPool2d", [testTensor([2, 8, 4, 4]).converted(to: .channelsLast)]) { $0[0].avgPool2d(kernel: 2) }
        checkGradients("globalAvgPool", [x]) { $0[0].globalAvgPool() }
    }

    func testReLUOnActivationsMatchesElementwiseReference() {
        let x = testTensor([2, 16, 3, 3]).converted(to: .blocked16)
        XCTAssertEqual(x.relu().scalars, x.referenceReLU().scalars)
        let away = Tensor(shape: [1, 16, 2, 2], scalars: (0..<64).map { Float($0 % 7) - 3.4 }).converted(to: .blocked16)
        checkGradients("relu 4-D", [away]) { $0[0].relu() }
    }

    func testResidualJoinMatchesElementwiseReference() {
        let a = testTensor([2, 16, 3, 3], seed: 1).converted(to: .blocked16)
        let b = testTensor([2, 16, 3, 3], seed: 2)
        XCTAssertEqual(Tensor.reluOfSum(a, b).scalars, (a.standardized() + b).referenceReLU().scalars)
        XCTAssertEqual((a + b.converted(to: .blocked16)).scalars, Tensor.zipMap(a.standardized(), b, +).scalars)
        let awayFromKink = Tensor(shape: [1, 16, 2, 2], scalars: (0..<64).map { Float($0 % 5) - 2.3 })
        checkGradients("reluOfSum", [awayFromKink.converted(to: .blocked16), awayFromKink * 0.1]) { Tensor.reluOfSum($0[0], $0[1]) }
        checkGradients("4-D add", [a, b.converted(to: .blocked16)]) { $0[0] + $0[1] }
    }

    func testShortcutASubsamplesAndPadsChannels() {
        let x = Tensor(shape: [1, 2, 3, 3], scalars: (0..<18).map(Float.init))
        let y = x.shortcutA(outChannels: 4)
        XCTAssertEqual(y.shape, [1, 4, 2, 2])
        XCTAssertEqual(y.scalars, [0, 0, 0, 0, 0, 2, 6, 8, 9, 11, 15, 17, 0, 0, 0, 0])
        checkGradients("shortcutA 16→32", [testTensor([2, 16, 4, 4]).converted(to: .blocked16)]) { $0[0].shortcutA(outChannels: 32) }
    }

    func testHorizontalFlip() {
        let x = Tensor(shape: [1, 1, 2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(x.flippedHorizontally().scalars, [3, 2, 1, 6, 5, 4])
        let blocked = testTensor([2, 16, 3, 4]).converted(to: .blocked16)
        XCTAssertEqual(blocked.flippedHorizontally().flippedHorizontally().scalars, blocked.scalars)
        checkGradients("flip", [blocked]) { $0[0].flippedHorizontally() }
    }

    func testReorderMatchesReferenceRelayout() {
        let x = testTensor([3, 32, 4, 5])
        for (from, to) in [(Layout.standard, Layout.blocked16), (.blocked16, .channelsLast), (.channelsLast, .standard)] {
            let source = Reference.relayout(x, to: from)
            XCTAssertEqual(source.converted(to: to).withUnsafeScalars { Array($0) },
                           Reference.relayout(x, to: to).withUnsafeScalars { Array($0) }, "\(from) → \(to)")
        }
    }

    func testConvolutionIsBitwiseReproducible() {
        func run() -> [Float] {
            let x = testTensor([4, 16, 8, 8]).converted(to: .blocked16)
            let w = testTensor([16, 16, 3, 3], seed: 2)
            w.requiresGrad = true
            let y = Tensor.conv2d(x, weight: w, stride: 1, padding: 1)
            (y * y).sum().backward()
            return y.scalars + w.grad!.scalars
        }
        XCTAssertEqual(run(), run())
    }
}
