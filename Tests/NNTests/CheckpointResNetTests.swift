import Foundation
import XCTest
import Tensor
@testable import NN

/// A ResNet-32 checkpoint round trip in Swift; with BCE3S_NN_TEST_OUTPUT set, the test also
/// leaves `resnet32_trained.safetensors` and `resnet32_trained_io.safetensors` (an input batch
/// and our eval-mode logits) there, for
/// `make_resnet_state_fixture.py --check …/resnet32_trained.safetensors --io …/resnet32_trained_io.safetensors`,
/// which loads the checkpoint into PyTorch's ResNet-32 with `strict=True` and compares logits.
final class CheckpointResNetTests: XCTestCase {
    override func invokeTest() { ComputeThreads.with(1) { super.invokeTest() } }

    func testResNet32CheckpointRestoresWeightsStatisticsCountersAndOutputs() throws {
        var rng = SeededGenerator(seed: 11)
        let (model, head) = (ResNet(.resnet32, seed: 1), Self.linearHead(seed: 1))
        let images = Tensor.randomNormal([4, 3, 32, 32], using: &rng)
        Tensor.withoutRecording {
            for _ in 0..<2 { _ = model(images, training: true) } // moves running statistics and counters
        }
        let logits = Self.logits(model, head, images)

        let keep = ProcessInfo.processInfo.environment["BCE3S_NN_TEST_OUTPUT"]
        let directory = try keep.map { URL(fileURLWithPath: $0) } ?? FixtureFiles.temporaryDirectory(for: self)
        let url = directory.appendingPathComponent("resnet32_trained.safetensors")
        try Checkpoint.save(model, head: head, metadata: ["epoch": "2"], to: url)
        try SafeTensors(tensors: ["input": SafeTensor(shape: images.shape, float32: images.scalars),
                                  "logits": SafeTensor(shape: logits.shape, float32: logits.scalars)])
            .write(to: directory.appendingPathComponent("resnet32_trained_io.safetensors"))

        let (restored, restoredHead) = (ResNet(.resnet32, seed: 2), Self.linearHead(seed: 2))
        XCTAssertEqual(try Checkpoint.load(into: restored, head: restoredHead, from: url), ["epoch": "2", "format": "pt"])
        for ((name, a), (_, b)) in zip(model.stateTensors + head, restored.stateTensors + restoredHead) {
            XCTAssertEqual(a.scalars.map(\.bitPattern), b.scalars.map(\.bitPattern), name)
        }
        XCTAssertEqual(restored.batchNormCounters, model.batchNormCounters)
        XCTAssertEqual(restored.batchNormCounters["layer3.4.bn2.num_batches_tracked"], 2)
        XCTAssertEqual(Self.logits(restored, restoredHead, images).scalars, logits.scalars)
    }

    func testLoadingASmallResNetCheckpointIntoResNet32IsAClearError() throws {
        let url = try FixtureFiles.temporaryDirectory(for: self).appendingPathComponent("small.safetensors")
        try Checkpoint.save(ResNet(.small, seed: 0), to: url)
        XCTAssertThrowsError(try Checkpoint.load(into: ResNet(.resnet32, seed: 0), from: url)) { error in
            XCTAssertEqual((error as? SafeTensorsError)?.kind, .missingTensor, "\(error)")
            XCTAssertTrue("\(error)".contains("layer1.1.conv1.weight"), "\(error)")
        }
    }

    private static func linearHead(seed: UInt64) -> [(name: String, tensor: Tensor)] {
        var rng = SeededGenerator(seed: seed &+ 500)
        return [("linear.weight", Tensor.randomNormal([10, 64], std: 0.1, using: &rng)),
                ("linear.bias", Tensor.randomNormal([10], std: 0.1, using: &rng))]
    }

    private static func logits(_ model: ResNet, _ head: [(name: String, tensor: Tensor)], _ images: Tensor) -> Tensor {
        Tensor.withoutRecording { Tensor.linear(model(images, training: false), weight: head[0].tensor, bias: head[1].tensor) }
    }
}
