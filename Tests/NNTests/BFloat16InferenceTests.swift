import XCTest
import Tensor
@testable import NN

/// The fused bf16 inference chain (`ResNet.bfloat16InferenceActivations`, taken by an eval-mode
/// forward in bf16 that records no gradients) computes the eval-mode ResNet: against the fp32
/// forward and against the layer-by-layer bf16 forward (taken while recording), on a ResNet
/// with non-trivial batch-norm parameters and statistics, for option-A and projection shortcuts.
final class BFloat16InferenceTests: XCTestCase {
    override func invokeTest() { ComputeThreads.with(1) { super.invokeTest() } }

    static let projectionNet = ResNet.Configuration(stageChannels: [16, 32], blocksPerStage: [1, 2], projectionShortcuts: true,
                                                    poolKernel: nil, torchvisionInitialization: true)

    /// A network whose batch norms are not the identity: weights, biases and running statistics
    /// drawn at random, as after training.
    func network(_ configuration: ResNet.Configuration, seed: UInt64) -> ResNet {
        let model = ResNet(configuration, seed: seed)
        var rng = SeededGenerator(seed: seed &+ 7)
        for case let (_, .batchNorm(bn)) in model.layers {
            for (tensor, low, high) in [(bn.weight, Float(0.5), Float(1.5)), (bn.bias, -0.3, 0.3),
                                        (bn.runningMean, -0.3, 0.3), (bn.runningVariance, 0.3, 2)] {
                let values = Tensor.randomUniform(tensor.shape, low: low, high: high, using: &rng).scalars
                tensor.withUnsafeMutableScalars { for i in $0.indices { $0[i] = values[i] } }
            }
        }
        return model
    }

    func images(_ n: Int, side: Int) -> Tensor {
        var rng = SeededGenerator(seed: 42)
        return Tensor.randomNormal([n, 3, side, side], using: &rng)
    }

    /// Largest absolute difference relative to the largest reference value.
    func relativeError(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) }.max()! / b.map(abs).max()!
    }

    func testFusedChainMatchesFloat32AndLayerByLayerBFloat16() {
        for (name, configuration, side) in [("option A", ResNet.Configuration.small, 16), ("projection", Self.projectionNet, 8)] {
            let model = network(configuration, seed: 5)
            let x = images(4, side: side)
            let fp32 = Tensor.withoutRecording { model(x, training: false) }.scalars
            model.precision = .bf16
            let fused = Tensor.withoutRecording { model(x, training: false) }
            let layered = model(x, training: false).scalars
            XCTAssertEqual(fused.shape, [4, configuration.stageChannels.last!])
            XCTAssertGreaterThan(relativeError(fused.scalars, fp32), 0, "\(name): the fused chain gave the fp32 result")
            XCTAssertNotEqual(fused.scalars, layered, "\(name): the fused chain is the layer-by-layer path")
            XCTAssertLessThan(relativeError(fused.scalars, fp32), 0.03, "\(name): fused bf16 against fp32")
            XCTAssertLessThan(relativeError(fused.scalars, layered), 0.03, "\(name): fused against layer-by-layer bf16")
            XCTAssertLessThan(relativeError(layered, fp32), 0.03, "\(name): layer-by-layer bf16 against fp32")
        }
    }

    func testFoldedBatchNormIsTheEvalModeBatchNorm() {
        let model = network(.small, seed: 9)
        let bn = model.bn1
        var rng = SeededGenerator(seed: 3)
        let x = Tensor.randomNormal([2, 16, 3, 3], using: &rng)
        let want = Reference.batchNorm(x, mean: bn.runningMean.scalars, variance: bn.runningVariance.scalars,
                                       weight: bn.weight.scalars, bias: bn.bias.scalars, eps: bn.eps, relu: false).scalars
        let (scale, shift) = bn.inferenceScaleAndShift()
        let values = x.scalars
        for (i, expected) in want.enumerated() {
            let c = (i / 9) % 16
            XCTAssertEqual(scale[c] * values[i] + shift[c], expected, accuracy: 1e-5 * max(1, abs(expected)))
        }
    }

    /// In fp32 an eval-mode forward without recording is still the layer-by-layer one, bit for
    /// bit (stored fp32 results must not change).
    func testFloat32EvalDoesNotTakeTheFusedChain() {
        let model = network(.small, seed: 2)
        let x = images(2, side: 8)
        Tensor.withoutRecording {
            var h = model.bn1(model.conv1(x), training: false, relu: true)
            for stage in model.stages { for block in stage { h = block(h, training: false) } }
            XCTAssertEqual(model(x, training: false).scalars, h.globalAvgPool().scalars)
        }
    }
}
