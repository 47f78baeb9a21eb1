import XCTest
import Tensor

/// Finite-difference check of a scalar loss: every element of every input (or `maxProbes`
/// random ones) is nudged by ±eps; the central difference must match `backward()` within
/// `atol + rtol·|numeric|`. Inputs must keep kinks (clamp bounds, ReLU zeros) farther than eps.
func checkLossGradients(_ name: String, _ inputs: [Tensor], eps: Float = 1e-2, atol: Float = 2e-3, rtol: Float = 2e-2,
                        maxProbes: Int = 40, file: StaticString = #filePath, line: UInt = #line,
                        _ loss: ([Tensor]) -> Tensor) {
    let leaves = inputs.map { t -> Tensor in
        let leaf = t.copy()
        leaf.requiresGrad = true
        return leaf
    }
    let value = loss(leaves)
    XCTAssertEqual(value.shape, [], "\(name): the loss is not a scalar", file: file, line: line)
    value.backward()
    var rng = SeededGenerator(seed: 99)
    for (index, leaf) in leaves.enumerated() {
        guard let grad = leaf.grad?.scalars else {
            XCTFail("\(name): input \(index) got no gradient", file: file, line: line)
            continue
        }
        let probes = leaf.count <= maxProbes ? Array(0..<leaf.count)
            : (0..<maxProbes).map { _ in Int(rng.next() % UInt64(leaf.count)) }
        for element in probes {
            func nudged(_ delta: Float) -> Float {
                let values = leaves.map { $0.detached().copy() }
                values[index].withUnsafeMutableScalars { $0[element] += delta }
                return Tensor.withoutRecording { loss(values).item() }
            }
            let numeric = (nudged(eps) - nudged(-eps)) / (2 * eps)
            XCTAssertEqual(grad[element], numeric, accuracy: atol + rtol * abs(numeric),
                           "\(name): d loss / d input \(index)[\(element)]", file: file, line: line)
        }
    }
}

/// Uniform test values in [low, high) from a fixed seed.
func uniformTensor(_ shape: [Int], low: Float = -1, high: Float = 1, seed: UInt64) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    return Tensor.randomUniform(shape, low: low, high: high, using: &rng)
}
