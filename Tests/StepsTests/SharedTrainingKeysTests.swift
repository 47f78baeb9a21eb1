import Foundation
import XCTest
import Pipeline
@testable import Steps

/// Pipelines that answer different questions share trainings: the backbone check, the gap
/// analysis, the ablation and the full protocol all hold the same 200-epoch BCE3S run, and the CIFAR-100-LT ablation
/// holds `paper.yaml`'s. Such a step must have the same cache key in every file that holds it,
/// or a store with the stored run would train it again for hours.
final class SharedTrainingKeysTests: XCTestCase {
    /// The real CIFAR-10-LT IF 100 dataset step's output digest (`TrainKeyPinTests`).
    private let realCIFAR10Digest = "cb6a037a11be599bbbcb94246c1d4802b1ea0d65ea398899d71fb5dfdde7844e"

    /// The key of step `name` in the shipped pipeline `file`, its `data` input having `dataDigest`.
    private func key(_ name: String, in file: String, dataDigest: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../pipelines/\(file)").standardizedFileURL
        let spec = try SpecLoader(file: file, text: String(contentsOf: url, encoding: .utf8)).parse()
        let graph = try PipelineGraph(spec, registry: StepCatalog.registry)
        let step = try XCTUnwrap(graph.steps.first { $0.name == name }, "\(file) has no step \(name)")
        return try XCTUnwrap(Planner.decide(step, inputDigests: [("data", [dataDigest])], forced: true,
                                            cache: EmptyCache()).key)
    }

    func testTheFullProtocolsBCE3SRunIsOneStepInEveryPipelineThatHoldsIt() throws {
        let fullProtocol = try key("train-bce3s+stage2", in: "cifar10-lt-if100.yaml", dataDigest: realCIFAR10Digest)
        XCTAssertTrue(fullProtocol.hasPrefix("938bb3000512"), "results/reference-full's BCE3S key, got \(fullProtocol)")
        XCTAssertEqual(try key("train-bce3s+stage2-resnet32", in: "cifar10-lt-if100-glmc.yaml", dataDigest: realCIFAR10Digest),
                       fullProtocol)
        XCTAssertEqual(try key("train-bce3s+stage2", in: "cifar10-lt-if100-ablation.yaml", dataDigest: realCIFAR10Digest),
                       fullProtocol)
        XCTAssertEqual(try key("train-bce3s+stage2-resnet32", in: "cifar10-lt-if100-gap.yaml", dataDigest: realCIFAR10Digest),
                       fullProtocol)
    }

    func testTheGapPipelineHoldsTheWideRunOfTheBackboneCheck() throws {
        let wide = try key("train-bce3s+stage2", in: "cifar10-lt-if100-glmc.yaml", dataDigest: realCIFAR10Digest)
        XCTAssertTrue(wide.hasPrefix("a190f7c775c8"), "the key whose checkpoints results/work holds, got \(wide)")
        XCTAssertEqual(try key("train-bce3s+stage2-resnet32-glmc", in: "cifar10-lt-if100-gap.yaml", dataDigest: realCIFAR10Digest), wide)
    }

    func testTheCIFAR100AblationHoldsThePaperPipelinesRunAsSeedZero() throws {
        let digest = String(repeating: "5a", count: 32)
        let paper = try key("train-bce3s+stage2", in: "paper.yaml", dataDigest: digest)
        XCTAssertEqual(try key("train-bce3s+stage2-s0", in: "cifar100-lt-if100-ablation.yaml", dataDigest: digest), paper)
        XCTAssertNotEqual(try key("train-bce3s+stage2-s1", in: "cifar100-lt-if100-ablation.yaml", dataDigest: digest), paper)
    }
}

/// A cache that holds nothing.
private struct EmptyCache: CacheLookup {
    func step(key: String) throws -> CachedStep? { nil }
    func previous(name: String) throws -> CachedStep? { nil }
}
