import XCTest
import Tensor
@testable import Methods

/// Heads start from the distributions of the code they reproduce (checked on the sample moments
/// of a wide head, so the test is deterministic and far from its tolerances).
final class HeadInitializationTests: XCTestCase {
    private func moments(_ values: [Float]) -> (mean: Double, std: Double) {
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }

    func testLinearHeadIsKaimingNormalWithPyTorchsDefaultBias() {
        var generator = SeededGenerator(seed: 11)
        let d = 64, k = 1000
        let head = LinearHead(featureDimension: d, classCount: k, generator: &generator)
        let weight = moments(head.weight.scalars)
        XCTAssertEqual(weight.mean, 0, accuracy: 0.01)
        XCTAssertEqual(weight.std, (2.0 / Double(d)).squareRoot(), accuracy: 0.005, "kaiming_normal_: std √(2/fan_in)")
        let bound = 1 / Float(d).squareRoot()
        XCTAssertTrue(head.bias.scalars.allSatisfy { abs($0) <= bound })
        XCTAssertEqual(moments(head.bias.scalars).std, Double(bound) / 3.0.squareRoot(), accuracy: 0.005, "U(±1/√d)")
        XCTAssertTrue(head.weight.requiresGrad && head.bias.requiresGrad)
    }
}
