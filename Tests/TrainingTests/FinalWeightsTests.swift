import XCTest
import Foundation
import NN
@testable import Training

/// The final `model.safetensors` of a ResNet-32 run has exactly the `state_dict()` of LDAM-DRW's
/// `resnet32()` — names, dtypes and shapes, head `linear.*` included — so it loads with
/// `load_state_dict(strict=True)` (`NNTests/Fixtures/resnet32_state_dict.json` lists that model,
/// written by `make_resnet_state_fixture.py` from `bench/resnet_cifar_torch.py`).
final class FinalWeightsTests: XCTestCase {
    static let ldamStateDict = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../NNTests/Fixtures/resnet32_state_dict.json").standardized

    func entries(of url: URL) throws -> Set<String> {
        let file = try SafeTensors(contentsOf: url)
        return Set(file.tensors.map { "\($0.key) \($0.value.dtype.rawValue) \($0.value.shape)" })
    }

    func testResNet32LinearHeadWeightsCarryLDAMDRWsNames() throws {
        let fixture = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: Self.ldamStateDict)) as? [String: Any])
        let expected = Set(try XCTUnwrap(fixture["state_dict"] as? [[Any]]).map { "\($0[0]) \($0[1]) \($0[2] as! [Int])" })
        XCTAssertTrue(expected.contains("linear.weight F32 [10, 64]"), "fixture without LDAM-DRW's head")
        for method in ["ce", "balanced_softmax"] {
            let job = try TrainingJob.make(method: method, recipe: "ldam", seed: 0)
            let model = try TrainingModel(job: job, classCounts: [Int](repeating: 50, count: 10))
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("final-\(UUID().uuidString).safetensors")
            addTeardownBlock { try? FileManager.default.removeItem(at: url) }
            try model.saveWeights(to: url, metadata: [:])
            XCTAssertEqual(try entries(of: url), expected, method)
        }
    }

    func testTheNormalisedHeadTakesTheSameNameInTheFinalWeightsOnly() throws {
        let bce3s = try TrainingModel(job: TrainingJob.make(method: "bce3s", recipe: "ldam", seed: 0),
                                      classCounts: [Int](repeating: 50, count: 10))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("final-\(UUID().uuidString).safetensors")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        try bce3s.saveWeights(to: url, metadata: [:])
        let names = try SafeTensors(contentsOf: url).tensors.keys
        XCTAssertTrue(names.contains("linear.weight") && names.contains("linear.b"), "\(names.sorted())")
        XCTAssertFalse(names.contains { $0.hasPrefix("classifier.") })
        // The resumable state keeps the internal names.
        XCTAssertTrue(bce3s.stateTensors.contains { $0.name == "classifier.weight" })
    }
}
