import XCTest
@testable import Tensor

/// The one finite-difference harness every op's backward is checked with.
///
/// `f` maps the inputs to any tensor `y`; the checked scalar is `Σ r ⊙ y` with fixed random
/// weights `r`, so every output element matters. Each input element (or a random subset of
/// `maxProbes` elements for big inputs) is nudged by ±`eps`; the central difference must match
/// the gradient from `backward()` within `atol + rtol·|numeric|`.
func checkGradients(_ name: String, _ inputs: [Tensor], eps: Float = 1e-2, atol: Float = 2e-3, rtol: Float = 2e-2,
                    maxProbes: Int = 48, file: StaticString = #filePath, line: UInt = #line,
                    _ f: ([Tensor]) -> Tensor) {
    var rng = SeededGenerator(seed: 1234)
    let leaves = inputs.map { t -> Tensor in
        let leaf = t.copy()
        leaf.requiresGrad = true
        return leaf
    }
    let y = f(leaves)
    let weights = Tensor.randomUniform(y.shape, low: 0.5, high: 1.5, using: &rng)
    (y * weights).sum().backward()

    func objective(_ values: [Tensor]) -> Double {
        Tensor.withoutRecording { Double((f(values) * weights).sum().item()) }
    }
    for (index, leaf) in leaves.enumerated() {
        guard let grad = leaf.grad else {
            XCTFail("\(name): input \(index) got no gradient", file: file, line: line)
            continue
        }
        XCTAssertEqual(grad.shape, leaf.shape, "\(name): gradient shape of input \(index)", file: file, line: line)
        let analytic = grad.converted(to: leaf.layout).withUnsafeScalars { Array($0) }
        let probes = leaf.count <= maxProbes ? Array(0..<leaf.count)
            : (0..<maxProbes).map { _ in Int(rng.next() % UInt64(leaf.count)) }
        for element in probes {
            let values = leaves.map { $0.detached().copy() }
            let original = values[index].withUnsafeScalars { $0[element] }
            values[index].withUnsafeMutableScalars { $0[element] = original + eps }
            let plus = objective(values)
            values[index].withUnsafeMutableScalars { $0[element] = original - eps }
            let minus = objective(values)
            let numeric = Float((plus - minus) / Double(2 * eps))
            XCTAssertEqual(analytic[element], numeric, accuracy: atol + rtol * abs(numeric),
                           "\(name): d/d input \(index)[\(element)] (physical)", file: file, line: line)
        }
    }
}

/// A tensor of uniform values in [low, high) from a fixed seed, for test inputs.
func testTensor(_ shape: [Int], low: Float = -1, high: Float = 1, seed: UInt64 = 7) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    return Tensor.randomUniform(shape, low: low, high: high, using: &rng)
}
