import XCTest
@testable import Tensor

/// bf16 convolutions (`Precision.bf16`) against an independent oracle: the float32 convolution
/// of operands rounded to bfloat16 in Swift (round to nearest even). bf16 promises exactly that —
/// rounded input, weights and output gradient, float32 accumulation — so the two agree up to
/// float32 summation order, far tighter than bf16's own error. A second check bounds the
/// difference from the unrounded fp32 convolution by bf16's unit roundoff.
final class BFloat16ConvolutionTests: XCTestCase {
    override func invokeTest() { ComputeThreads.with(1) { super.invokeTest() } }

    /// The geometries of the CIFAR ResNets: stem, stride-2 block, 1×1 projection, channels
    /// that do not fill a block, and a 32-channel 3×3 (Winograd in fp32, direct in bf16).
    let cases: [(x: [Int], layout: Layout, out: Int, k: Int, stride: Int, padding: Int)] = [
        ([2, 3, 8, 8], .standard, 16, 3, 1, 1),
        ([2, 16, 8, 8], .blocked16, 32, 3, 2, 1),
        ([2, 16, 7, 7], .blocked16, 32, 1, 2, 0),
        ([1, 8, 5, 5], .channelsLast, 8, 3, 1, 1),
        ([2, 32, 6, 6], .blocked16, 32, 3, 1, 1),
    ]

    /// `value` rounded to the nearest bfloat16 (ties to even), as a Float.
    static func roundedToBFloat16(_ value: Float) -> Float {
        let bits = value.bitPattern
        return Float(bitPattern: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) & 0xFFFF_0000)
    }

    static func roundedToBFloat16(_ t: Tensor) -> Tensor {
        Tensor(shape: t.shape, scalars: t.scalars.map(roundedToBFloat16)).converted(to: t.layout)
    }

    /// y, dL/dx and dL/dw of L = Σ r ⊙ conv(x, w) in `precision`, all in logical order.
    func convolutionAndGradients(_ x: Tensor, _ w: Tensor, _ r: Tensor, stride: Int, padding: Int,
                                 precision: Precision) -> (y: [Float], dx: [Float], dw: [Float]) {
        let (x, w) = (x.copy(), w.copy())
        x.requiresGrad = true
        w.requiresGrad = true
        let y = Tensor.conv2d(x, weight: w, stride: stride, padding: padding, precision: precision)
        (y * r).sum().backward()
        return (y.scalars, x.grad!.scalars, w.grad!.scalars)
    }

    func testRoundingHelperIsRoundToNearestEven() {
        XCTAssertEqual(Self.roundedToBFloat16(1), 1)
        XCTAssertEqual(Self.roundedToBFloat16(1 + 1.0 / 256), 1, "a tie rounds to the even mantissa")
        XCTAssertEqual(Self.roundedToBFloat16(1 + 3.0 / 256), 1 + 4.0 / 256, "a tie rounds to the even mantissa")
        XCTAssertEqual(Self.roundedToBFloat16(1 + 1.5 / 256), 1 + 2.0 / 256)
    }

    func testForwardAndBothGradientsAreTheFloat32ConvolutionOfRoundedOperands() {
        for (i, c) in cases.enumerated() {
            let x = testTensor(c.x, seed: UInt64(i)).converted(to: c.layout)
            let w = testTensor([c.out, c.x[1], c.k, c.k], seed: UInt64(10 + i))
            let outSide = (c.x[2] + 2 * c.padding - c.k) / c.stride + 1
            let r = Self.roundedToBFloat16(testTensor([c.x[0], c.out, outSide, outSide], seed: UInt64(20 + i)))
            let bf16 = convolutionAndGradients(x, w, r, stride: c.stride, padding: c.padding, precision: .bf16)
            let oracle = convolutionAndGradients(Self.roundedToBFloat16(x), Self.roundedToBFloat16(w), r,
                                                 stride: c.stride, padding: c.padding, precision: .fp32)
            let exact = convolutionAndGradients(x, w, r, stride: c.stride, padding: c.padding, precision: .fp32)
            for (name, got, want, unrounded) in [("y", bf16.y, oracle.y, exact.y), ("dL/dx", bf16.dx, oracle.dx, exact.dx),
                                                 ("dL/dw", bf16.dw, oracle.dw, exact.dw)] {
                XCTAssertEqual(got.count, want.count, "case \(i) \(name)")
                let scale = max(1, want.map(abs).max() ?? 0)
                let worst = zip(got, want).map { abs($0 - $1) }.max() ?? .infinity
                XCTAssertLessThanOrEqual(worst, 2e-5 * scale, "case \(i) \(name): bf16 vs fp32 of rounded operands")
                // bf16 really ran: it differs from the unrounded fp32 result, by about bf16's roundoff.
                let fromExact = zip(got, unrounded).map { abs($0 - $1) }.max() ?? 0
                XCTAssertGreaterThan(fromExact, 0, "case \(i) \(name): bf16 gave the fp32 result")
                XCTAssertLessThanOrEqual(fromExact, 0.05 * scale, "case \(i) \(name): bf16 too far from fp32")
            }
        }
    }

    func testBFloat16ConvolutionIsBitwiseReproducible() {
        func run() -> [Float] {
            let x = testTensor([4, 32, 8, 8]).converted(to: .blocked16)
            let r = testTensor([4, 32, 8, 8], seed: 5)
            let result = convolutionAndGradients(x, testTensor([32, 32, 3, 3], seed: 2), r, stride: 1, padding: 1, precision: .bf16)
            return result.y + result.dx + result.dw
        }
        ComputeThreads.with(2) { XCTAssertEqual(run(), run()) }
    }
}
