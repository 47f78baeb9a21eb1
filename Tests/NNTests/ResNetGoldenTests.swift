import Foundation
import XCTest
import Tensor
@testable import NN

/// Our ResNets against PyTorch on the same weights and images, tensor by tensor, each with its
/// own tolerance. `Fixtures/resnet_golden.safetensors` was written by `Fixtures/make_golden.py`.
final class ResNetGoldenTests: XCTestCase {
    override func invokeTest() { ComputeThreads.with(1) { super.invokeTest() } }

    func testSmallLDAMResNetMatchesPyTorch() throws {
        try compare(prefix: "ldam.", configuration: .small)
    }

    func testTorchvisionStyleResNetWithProjectionsMatchesPyTorch() throws {
        try compare(prefix: "tv.", configuration: ResNet.Configuration(
            stageChannels: [8, 16, 32, 64], blocksPerStage: [1, 1, 1, 1], projectionShortcuts: true, poolKernel: 4,
            torchvisionInitialization: true))
    }

    private func compare(prefix: String, configuration: ResNet.Configuration) throws {
        let file = try SafeTensors(contentsOf: FixtureFiles.url("resnet_golden.safetensors"))
        XCTAssertEqual(file.metadata["fixture_version"], "1")
        func tensor(_ name: String) throws -> Tensor {
            let entry = try XCTUnwrap(file.tensors[prefix + name], "fixture has no \(prefix + name)")
            return Tensor(shape: entry.shape, scalars: try file.float32(prefix + name, shape: entry.shape))
        }
        let model = ResNet(configuration, seed: 1)
        for (name, t) in model.stateTensors {
            let value = try tensor("param." + name)
            XCTAssertEqual(value.shape, t.shape, name)
            t.withUnsafeMutableScalars { _ = $0.update(fromContentsOf: value.scalars) }
        }
        let images = try tensor("input")

        let evalFeatures = Tensor.withoutRecording { model(images, training: false) }
        assertClose(evalFeatures, try tensor("eval_features"), relative: 1e-4, "eval features")

        images.requiresGrad = true
        let features = model(images, training: true)
        assertClose(features, try tensor("train_features"), relative: 1e-4, "training features")
        (features * (try tensor("probe"))).sum().backward()
        assertClose(try XCTUnwrap(images.grad), try tensor("grad_input"), relative: 1e-3, "input gradient")
        for (name, parameter) in model.namedParameters {
            assertClose(try XCTUnwrap(parameter.grad, name), try tensor("grad." + name), relative: 1e-3, "gradient of \(name)")
        }
        for (name, buffer) in model.stateTensors where name.contains("running_") {
            assertClose(buffer, try tensor("after." + name), relative: 1e-5, "\(name) after one training pass")
        }
        XCTAssertTrue(model.batchNormCounters.values.allSatisfy { $0 == 1 })
    }

    /// max |ours − theirs| ≤ relative · max(|theirs|) (+ a tiny floor for all-zero tensors).
    private func assertClose(_ ours: Tensor, _ theirs: Tensor, relative: Float, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(ours.shape, theirs.shape, what, file: file, line: line)
        let (a, b) = (ours.scalars, theirs.scalars)
        let scale = b.map(abs).max() ?? 0
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, relative * scale + 1e-7, "\(what): max |diff| \(worst), max |value| \(scale)",
                                 file: file, line: line)
    }
}
