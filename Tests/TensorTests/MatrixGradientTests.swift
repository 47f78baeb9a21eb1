import XCTest
@testable import Tensor

/// Finite-difference checks of the matrix, row-wise, reduction and shape ops.
final class MatrixGradientTests: XCTestCase {
    let x = testTensor([5, 4], seed: 11)

    func testMatmulLinearTranspose() {
        checkGradients("matmul", [x, testTensor([4, 3], seed: 12)]) { Tensor.matmul($0[0], $0[1]) }
        checkGradients("linear", [x, testTensor([3, 4], seed: 13), testTensor([3], seed: 14)]) {
            Tensor.linear($0[0], weight: $0[1], bias: $0[2])
        }
        checkGradients("linear without bias", [x, testTensor([3, 4], seed: 13)]) { Tensor.linear($0[0], weight: $0[1]) }
        checkGradients("transposed", [x]) { $0[0].transposed() }
    }

    func testRowOps() {
        checkGradients("l2NormalizedRows", [x]) { $0[0].l2NormalizedRows(eps: 1e-5) }
        // Second row's norm (≈1e-3) is below eps = 0.1: that row is divided by the constant eps.
        let tiny = Tensor(shape: [2, 3], scalars: [0.5, -1, 2, 1e-3, -5e-4, 2e-4])
        checkGradients("l2NormalizedRows clamped", [tiny], eps: 1e-4) { $0[0].l2NormalizedRows(eps: 0.1) }
        checkGradients("logSoftmax", [x * 3]) { $0[0].logSoftmax() }
        checkGradients("softmax", [x * 3]) { $0[0].softmax() }
        checkGradients("gather", [x]) { $0[0].gather(labels: [3, 0, 1, 3, 2]) }
        checkGradients("rows(at:) with repeats", [x]) { $0[0].rows(at: [4, 0, 4, 2]) }
    }

    func testReductions() {
        checkGradients("sum", [x]) { $0[0].sum() }
        checkGradients("mean", [x]) { $0[0].mean() }
        for axis in [0, 1, -1] {
            checkGradients("sum axis \(axis)", [x]) { $0[0].sum(axis: axis) }
            checkGradients("mean axis \(axis) keep", [x]) { $0[0].mean(axis: axis, keepingDimension: true) }
        }
        checkGradients("sum axis 1 of 3-D", [testTensor([2, 3, 4])]) { $0[0].sum(axis: 1) }
    }

    func testShapeOps() {
        let y = testTensor([2, 4], seed: 15)
        checkGradients("concat", [x, y]) { Tensor.concat([$0[0], $0[1], $0[0]]) }
        checkGradients("slice", [x]) { $0[0].slice(rows: 1..<4) }
        checkGradients("split", [x]) { let parts = $0[0].split(rows: [2, 3]); return parts[1].sum(axis: 0) * parts[0] }
        checkGradients("reshaped", [x]) { $0[0].reshaped([2, -1]) }
        checkGradients("flattenedRows", [testTensor([2, 3, 2, 2])]) { $0[0].flattenedRows() }
    }

    func testLayoutConversions() {
        let image = testTensor([2, 16, 3, 2], seed: 16)
        checkGradients("to channelsLast", [image]) { $0[0].converted(to: .channelsLast) * $0[0].converted(to: .channelsLast) }
        checkGradients("to blocked16 and back", [image.converted(to: .channelsLast)]) {
            $0[0].converted(to: .blocked16).exp().converted(to: .standard)
        }
    }

    /// A loss shaped like the ones the Methods target writes: cosine logits, clamp, softplus, one-hot.
    func testCompositeLoss() {
        let labels = [1, 0, 2, 2, 1]
        let targets = Tensor.oneHot(labels: labels, classes: 3)
        checkGradients("BCE-style loss", [x, testTensor([3, 4], seed: 17), testTensor([3], seed: 18)]) { v in
            let z = Tensor.linear(v[0], weight: v[1].l2NormalizedRows(eps: 1e-5), bias: v[2]).clamped(min: -64, max: 64)
            let perClass = targets * (-z).softplus() + (1 - targets) * z.softplus()
            return perClass.sum(axis: 1).mean() - z.logSoftmax().gather(labels: labels).mean()
        }
    }
}
