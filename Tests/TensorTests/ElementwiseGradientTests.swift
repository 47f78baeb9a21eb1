import XCTest
@testable import Tensor

/// Finite-difference checks of the element-wise ops, including every broadcasting pattern.
final class ElementwiseGradientTests: XCTestCase {
    let matrix = testTensor([3, 4], seed: 1)
    let positive = testTensor([3, 4], low: 0.5, high: 2, seed: 2)

    func testBinaryOpsWithBroadcasting() {
        let partners: [(String, Tensor)] = [
            ("same shape", testTensor([3, 4], low: 0.5, high: 2, seed: 3)),
            ("row [K]", testTensor([4], low: 0.5, high: 2, seed: 4)),
            ("column [N,1]", testTensor([3, 1], low: 0.5, high: 2, seed: 5)),
            ("scalar []", Tensor(1.7)),
        ]
        for (pattern, b) in partners {
            checkGradients("add \(pattern)", [matrix, b]) { $0[0] + $0[1] }
            checkGradients("sub \(pattern)", [matrix, b]) { $0[0] - $0[1] }
            checkGradients("mul \(pattern)", [matrix, b]) { $0[0] * $0[1] }
            checkGradients("div \(pattern)", [matrix, b]) { $0[0] / $0[1] }
            checkGradients("reversed mul \(pattern)", [b, matrix]) { $0[0] * $0[1] }
            checkGradients("reversed div \(pattern)", [b, positive]) { $0[0] / $0[1] }
        }
    }

    func testScalarOperands() {
        checkGradients("tensor ⊙ float", [matrix]) { ((($0[0] + 2) * 3 - 1) / 4) }
        checkGradients("float ⊙ tensor", [positive]) { 2 - (3 / $0[0]) * 0.5 + (1 + $0[0]) }
        checkGradients("neg", [matrix]) { -$0[0] }
    }

    func testUnaryFunctions() {
        checkGradients("exp", [matrix]) { $0[0].exp() }
        checkGradients("log", [positive]) { $0[0].log() }
        checkGradients("sqrt", [positive]) { $0[0].sqrt() }
        checkGradients("squared", [matrix]) { $0[0].squared() }
        checkGradients("softplus", [matrix * 5]) { $0[0].softplus() }
        checkGradients("sigmoid", [matrix * 5]) { $0[0].sigmoid() }
        // Kinked functions: inputs kept away from the kinks by more than eps.
        let awayFromZero = Tensor(shape: [2, 3], scalars: [-0.9, -0.3, 0.2, 0.5, -0.05, 0.8])
        checkGradients("relu", [awayFromZero]) { $0[0].relu() }
        checkGradients("clamp", [awayFromZero]) { $0[0].clamped(min: -0.5, max: 0.4) }
    }

    func testTensorUsedTwiceAccumulatesBothPaths() {
        checkGradients("x * x + x", [matrix]) { $0[0] * $0[0] + $0[0] }
        checkGradients("shared subexpression", [matrix]) { let e = $0[0].exp(); return e * e.sigmoid() - e }
    }
}
