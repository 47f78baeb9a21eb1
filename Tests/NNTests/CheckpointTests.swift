import Foundation
import XCTest
import Tensor
@testable import NN

/// `Fixtures/resnet32_state_dict.json` lists PyTorch's ResNet-32 `state_dict()` (names, dtypes,
/// shapes), written by `Fixtures/make_resnet_state_fixture.py`; its `--check` mode loads a
/// checkpoint we wrote into that model with `strict=True`.
final class CheckpointTests: XCTestCase {
    func testRoundTripRestoresValuesInPlaceWhateverTheLayout() throws {
        let url = try FixtureFiles.temporaryDirectory(for: self).appendingPathComponent("model.safetensors")
        let saved = Self.tensors(seed: 1)
        try Checkpoint.save(saved, counters: ["bn.num_batches_tracked": 391], metadata: ["epoch": "3"], to: url)

        let loaded = Self.tensors(seed: 2)
        let (counters, metadata) = try Checkpoint.load(into: loaded, counterNames: ["bn.num_batches_tracked"], from: url)
        XCTAssertEqual(counters, ["bn.num_batches_tracked": 391])
        XCTAssertEqual(metadata, ["epoch": "3", "format": "pt"])
        for ((name, a), (_, b)) in zip(saved, loaded) {
            XCTAssertEqual(b.layout, a.layout, name)
            XCTAssertEqual(b.scalars.map(\.bitPattern), a.scalars.map(\.bitPattern), name)
        }
    }

    func testStrictLoadRejectsMissingExtraOrMisshapenTensorsAndChangesNothing() throws {
        let url = try FixtureFiles.temporaryDirectory(for: self).appendingPathComponent("model.safetensors")
        try Checkpoint.save(Self.tensors(seed: 1), counters: ["bn.num_batches_tracked": 1], to: url)

        func expectFailure(_ kind: SafeTensorsError.Kind, _ naming: String, into model: [(name: String, tensor: Tensor)],
                           counters: [String] = ["bn.num_batches_tracked"], line: UInt = #line) {
            let before = model.map { $0.tensor.scalars }
            XCTAssertThrowsError(try Checkpoint.load(into: model, counterNames: counters, from: url), line: line) { error in
                let error = error as? SafeTensorsError
                XCTAssertEqual(error?.kind, kind, line: line)
                XCTAssertTrue("\(error.map { "\($0)" } ?? "")".contains(naming), "\(String(describing: error))", line: line)
            }
            XCTAssertEqual(model.map { $0.tensor.scalars }, before, "a failed load must not touch the model", line: line)
        }
        let model = Self.tensors(seed: 2)
        expectFailure(.unexpectedTensors, "conv.weight", into: model.filter { $0.name != "conv.weight" })
        expectFailure(.missingTensor, "extra.bias", into: model + [("extra.bias", Tensor.zeros([3]))])
        expectFailure(.shapeMismatch, "expected [4, 4]", into: model.map { $0.name == "linear.weight" ? ($0.name, Tensor.zeros([4, 4])) : $0 })
        expectFailure(.dtypeMismatch, "linear.bias", into: model.filter { $0.name != "linear.bias" }, counters: ["bn.num_batches_tracked", "linear.bias"])
    }

    /// A checkpoint with every name and shape of PyTorch's ResNet-32 state dict. With
    /// BCE3S_NN_TEST_OUTPUT set, it is also written there for
    /// `make_resnet_state_fixture.py --check $BCE3S_NN_TEST_OUTPUT/resnet32_names.safetensors`.
    func testCheckpointWithResNet32NamesHoldsExactlyPyTorchsStateDict() throws {
        try assertCheckpointHoldsStateDict(of: "resnet32", parameters: 464_154)
    }

    /// The same for ResNet-34-CIFAR with torchvision's names (`--model resnet34` in the check).
    func testCheckpointWithResNet34NamesHoldsExactlyPyTorchsStateDict() throws {
        try assertCheckpointHoldsStateDict(of: "resnet34_cifar", parameters: 21_328_292)
    }

    private func assertCheckpointHoldsStateDict(of model: String, parameters: Int) throws {
        let fixture = try XCTUnwrap(FixtureFiles.json("\(model)_state_dict.json") as? [String: Any])
        let entries = try XCTUnwrap(fixture["state_dict"] as? [[Any]])
        var tensors: [(name: String, tensor: Tensor)] = []
        var counters: [String: Int64] = [:]
        for entry in entries {
            let (name, dtype, shape) = (entry[0] as! String, entry[1] as! String, entry[2] as! [Int])
            if dtype == "I64" {
                counters[name] = 0
            } else {
                // Small weights keep PyTorch's check forward pass finite; running variances must be positive.
                let value: Float = name.hasSuffix("running_var") ? 1 : 0.01
                tensors.append((name, Tensor.full(shape, value)))
            }
        }
        XCTAssertEqual(tensors.filter { !$0.name.contains("running_") }.map(\.tensor.count).reduce(0, +), parameters)
        let keep = ProcessInfo.processInfo.environment["BCE3S_NN_TEST_OUTPUT"]
        let directory = try keep.map { URL(fileURLWithPath: $0) } ?? FixtureFiles.temporaryDirectory(for: self)
        let url = directory.appendingPathComponent("\(model)_names.safetensors")
        try Checkpoint.save(tensors, counters: counters, to: url)

        let file = try SafeTensors(contentsOf: url)
        XCTAssertEqual(file.tensors.count, entries.count)
        for entry in entries {
            let tensor = try XCTUnwrap(file.tensors[entry[0] as! String], "\(entry[0])")
            XCTAssertEqual(tensor.dtype.rawValue, entry[1] as? String)
            XCTAssertEqual(tensor.shape, entry[2] as? [Int])
        }
    }

    /// Three tensors in the three layouts, values drawn from `seed`.
    private static func tensors(seed: UInt64) -> [(name: String, tensor: Tensor)] {
        var rng = SeededGenerator(seed: seed)
        return [
            ("linear.weight", Tensor.randomNormal([4, 3], mean: 0, std: 1, using: &rng)),
            ("linear.bias", Tensor.randomNormal([4], mean: 0, std: 1, using: &rng)),
            ("conv.weight", Tensor.randomNormal([2, 3, 2, 2], mean: 0, std: 1, using: &rng).converted(to: .channelsLast)),
            ("features", Tensor.randomNormal([1, 16, 2, 2], mean: 0, std: 1, using: &rng).converted(to: .blocked16)),
        ]
    }
}
