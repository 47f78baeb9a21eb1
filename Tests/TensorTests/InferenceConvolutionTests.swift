import XCTest
@testable import Tensor

/// The fused bf16 inference convolution (`BFloat16Activation.convolved`) against an independent
/// oracle: the naive float32 convolution (`Reference.conv2d`) of the bfloat16-rounded input and
/// weights, plus the bias and the residual, through ReLU, rounded to bfloat16 once. oneDNN sums
/// in another order, so the two may land on neighbouring bfloat16 values: they must agree to
/// one bfloat16 step (2⁻⁸ relative) and mostly exactly.
final class InferenceConvolutionTests: XCTestCase {
    override func invokeTest() { ComputeThreads.with(1) { super.invokeTest() } }

    /// The CIFAR ResNets' geometries: the stem (3 channels, standard layout), a stride-2 block
    /// convolution, a 1×1 projection, and a 32-channel block convolution with the residual.
    let cases: [(x: [Int], layout: Layout, out: Int, k: Int, stride: Int, padding: Int, residual: Bool, relu: Bool)] = [
        ([2, 3, 8, 8], .standard, 16, 3, 1, 1, false, true),
        ([2, 16, 8, 8], .blocked16, 32, 3, 2, 1, false, true),
        ([2, 16, 7, 7], .blocked16, 32, 1, 2, 0, false, false),
        ([2, 32, 6, 6], .blocked16, 32, 3, 1, 1, true, true),
        ([1, 32, 5, 5], .blocked16, 32, 3, 1, 1, true, false),
    ]

    func testFusedConvolutionIsTheRoundedFloat32ConvolutionOfRoundedOperands() {
        let round = BFloat16ConvolutionTests.roundedToBFloat16 as (Float) -> Float
        for (i, c) in cases.enumerated() {
            let x = testTensor(c.x, seed: UInt64(i)).converted(to: c.layout)
            let w = testTensor([c.out, c.x[1], c.k, c.k], seed: UInt64(10 + i))
            let bias = testTensor([c.out], seed: UInt64(20 + i))
            let side = (c.x[2] + 2 * c.padding - c.k) / c.stride + 1
            let residual = testTensor([c.x[0], c.out, side, side], seed: UInt64(30 + i)).converted(to: .activation(channels: c.out))
            let input = BFloat16Activation(rounding: x)
            let got = input.convolved(weight: w, bias: bias, stride: c.stride, padding: c.padding,
                                      adding: c.residual ? BFloat16Activation(rounding: residual) : nil, relu: c.relu)
            XCTAssertEqual(got.shape, [c.x[0], c.out, side, side])
            XCTAssertEqual(got.layout, .activation(channels: c.out))

            let convolution = Reference.conv2d(BFloat16ConvolutionTests.roundedToBFloat16(x).standardized(),
                                               weight: BFloat16ConvolutionTests.roundedToBFloat16(w), stride: c.stride,
                                               padding: c.padding).scalars
            let (b, r, perChannel) = (bias.scalars, residual.scalars.map(round), side * side)
            let want = convolution.indices.map { j -> Float in
                var v = convolution[j] + b[(j / perChannel) % c.out] + (c.residual ? r[j] : 0)
                if c.relu { v = max(v, 0) }
                return round(v)
            }
            let values = got.float32().scalars
            XCTAssertEqual(values, values.map(round), "case \(i): the output is not bfloat16")
            var differing = 0
            for (g, e) in zip(values, want) where g != e {
                differing += 1
                XCTAssertLessThanOrEqual(abs(g - e), abs(e) / 128 + 1e-6, "case \(i): \(g) against \(e)")
            }
            XCTAssertLessThan(differing, want.count / 20, "case \(i): \(differing) of \(want.count) values differ")
            if c.relu { XCTAssertTrue(values.allSatisfy { $0 >= 0 }, "case \(i): ReLU") }
        }
    }

    func testRoundingRoundTripIsExactForBFloat16Values() {
        let x = BFloat16ConvolutionTests.roundedToBFloat16(testTensor([2, 16, 4, 4], seed: 3).converted(to: .blocked16))
        let back = BFloat16Activation(rounding: x).float32()
        XCTAssertEqual(back.layout, .blocked16)
        XCTAssertEqual(back.scalars, x.scalars)
        let unrounded = testTensor([1, 3, 5, 5], seed: 4)
        XCTAssertEqual(BFloat16Activation(rounding: unrounded).float32().scalars,
                       unrounded.scalars.map(BFloat16ConvolutionTests.roundedToBFloat16 as (Float) -> Float))
    }
}
