import Foundation
import XCTest
import Tensor
@testable import NN

/// Golden values in `Fixtures/sgd_golden.safetensors` come from `Fixtures/make_sgd_fixture.py`
/// (torch.optim.SGD, three steps on fixed gradients, two configurations).
final class SGDTests: XCTestCase {
    private let shapes: [(String, [Int])] = [("linear.weight", [4, 3]), ("linear.bias", [4]), ("conv.weight", [2, 3, 3, 3])]
    private let learningRates = [0.1, 0.05, 0.02]

    func testPlainMomentumWithWeightDecayOnEveryParameterMatchesTorch() throws {
        try assertMatchesTorch(configuration: "plain", weightDecay: 2e-4, decayNormAndBias: true, nesterov: false)
    }

    func testNesterovWithoutDecayOnBiasesMatchesTorch() throws {
        try assertMatchesTorch(configuration: "nesterov", weightDecay: 5e-3, decayNormAndBias: false, nesterov: true)
    }

    func testSplitPutsOneDimensionalParametersInAnUndecayedGroup() {
        let named = shapes.map { ($0.0, Tensor.zeros($0.1)) }
        let groups = ParameterGroup.split(named, weightDecay: 0.1, decayNormAndBias: false)
        XCTAssertEqual(groups.map { $0.parameters.map(\.name) }, [["linear.weight", "conv.weight"], ["linear.bias"]])
        XCTAssertEqual(groups.map(\.weightDecay), [0.1, 0])
        XCTAssertEqual(ParameterGroup.split(named, weightDecay: 0.1, decayNormAndBias: true).count, 1)
    }

    func testParametersWithoutGradientAreLeftAlone() {
        let p = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        let q = Tensor(shape: [2], scalars: [3, 4], requiresGrad: true)
        q.grad = Tensor(shape: [2], scalars: [1, 1])
        let sgd = SGD(groups: [ParameterGroup(parameters: [("p", p), ("q", q)], weightDecay: 0.5)], momentum: 0.9)
        sgd.step(learningRate: 0.5)
        XCTAssertEqual(p.scalars, [1, 2])
        let expected: [Float] = [3 - 0.5 * (1 + 0.5 * 3), 4 - 0.5 * (1 + 0.5 * 4)]
        XCTAssertEqual(q.scalars, expected)
        XCTAssertEqual(Set(sgd.state().tensors.keys), ["q.momentum_buffer"])
    }

    func testSavingAndLoadingStateResumesBitIdentically() throws {
        let golden = try SafeTensors(contentsOf: FixtureFiles.url("sgd_golden.safetensors"))
        let directory = try FixtureFiles.temporaryDirectory(for: self)
        let stateURL = directory.appendingPathComponent("optimizer.safetensors")

        let uninterrupted = try makeParameters(golden)
        let straight = SGD(groups: ParameterGroup.split(uninterrupted, weightDecay: 5e-3, decayNormAndBias: false),
                           momentum: 0.9, nesterov: true)
        try run(straight, uninterrupted, golden, steps: 0..<3)

        let first = try makeParameters(golden)
        let before = SGD(groups: ParameterGroup.split(first, weightDecay: 5e-3, decayNormAndBias: false), momentum: 0.9, nesterov: true)
        try run(before, first, golden, steps: 0..<2)
        try before.state().write(to: stateURL)

        let resumed = first.map { ($0.name, Tensor(shape: $0.tensor.shape, scalars: $0.tensor.scalars, requiresGrad: true)) }
        let after = SGD(groups: ParameterGroup.split(resumed, weightDecay: 5e-3, decayNormAndBias: false), momentum: 0.9, nesterov: true)
        try after.loadState(SafeTensors(contentsOf: stateURL))
        try run(after, resumed, golden, steps: 2..<3)

        for ((name, a), (_, b)) in zip(uninterrupted, resumed) {
            XCTAssertEqual(a.scalars.map(\.bitPattern), b.scalars.map(\.bitPattern), name)
        }
    }

    func testLoadingForeignStateIsAClearError() throws {
        let p = Tensor.zeros([3], layout: .standard)
        let sgd = SGD(groups: [ParameterGroup(parameters: [("w", p)], weightDecay: 0)], momentum: 0.9)
        var state = sgd.state()
        state.tensors["w.momentum_buffer"] = SafeTensor(shape: [4], float32: [0, 0, 0, 0])
        XCTAssertThrowsError(try sgd.loadState(state)) { XCTAssertEqual(($0 as? SafeTensorsError)?.kind, .shapeMismatch) }
        state.tensors = ["v.momentum_buffer": SafeTensor(shape: [3], float32: [0, 0, 0])]
        XCTAssertThrowsError(try sgd.loadState(state)) { XCTAssertEqual(($0 as? SafeTensorsError)?.kind, .unexpectedTensors) }
        let nesterov = SGD(groups: sgd.groups, momentum: 0.9, nesterov: true)
        XCTAssertThrowsError(try nesterov.loadState(sgd.state())) {
            XCTAssertTrue("\($0)".contains("nesterov = false, this optimiser true"), "\($0)")
        }
    }

    private func assertMatchesTorch(configuration: String, weightDecay: Float, decayNormAndBias: Bool, nesterov: Bool) throws {
        let golden = try SafeTensors(contentsOf: FixtureFiles.url("sgd_golden.safetensors"))
        let parameters = try makeParameters(golden)
        let sgd = SGD(groups: ParameterGroup.split(parameters, weightDecay: weightDecay, decayNormAndBias: decayNormAndBias),
                      momentum: 0.9, nesterov: nesterov)
        for step in 0..<3 {
            try run(sgd, parameters, golden, steps: step..<(step + 1))
            for (name, tensor) in parameters {
                try assertClose(tensor.scalars, golden.float32("\(configuration).step\(step).\(name)", shape: tensor.shape),
                                "\(configuration) step \(step) \(name)")
            }
        }
        let state = sgd.state()
        for (name, tensor) in parameters {
            let key = name + SGD.momentumBufferSuffix
            try assertClose(state.float32(key, shape: tensor.shape), golden.float32("\(configuration).\(key)", shape: tensor.shape), key)
        }
    }

    private func makeParameters(_ golden: SafeTensors) throws -> [(name: String, tensor: Tensor)] {
        try shapes.map { name, shape in
            (name, Tensor(shape: shape, scalars: try golden.float32("initial.\(name)", shape: shape), requiresGrad: true))
        }
    }

    private func run(_ sgd: SGD, _ parameters: [(name: String, tensor: Tensor)], _ golden: SafeTensors, steps: Range<Int>) throws {
        for step in steps {
            for (name, tensor) in parameters {
                tensor.grad = Tensor(shape: tensor.shape, scalars: try golden.float32("grad\(step).\(name)", shape: tensor.shape))
            }
            sgd.step(learningRate: learningRates[step])
            sgd.zeroGrad()
        }
    }

    /// Bit-exact against PyTorch 2.13 on the development machine (AVX-512); 1e-6 relative leaves
    /// room for a PyTorch build whose kernels round a multiply-add twice where we fuse it.
    private func assertClose(_ actual: [Float], _ expected: [Float], _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, label, file: file, line: line)
        let worst = zip(actual, expected).map { abs($0 - $1) / max(abs($1), 1e-3) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, 1e-6, "\(label): worst relative difference \(worst)", file: file, line: line)
    }
}
