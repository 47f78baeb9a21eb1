import Foundation
import XCTest
import Pipeline
@testable import Steps

/// Pins what a 200-epoch training's cache key depends on: for the same real data, the `dataset`
/// step's artifacts (`subset.json` bytes), metrics and output digest, and the `train` key computed
/// from that digest, must not change — or every stored training would rerun. The golden values
/// were computed by the code before data fingerprints entered the dataset step's key.
final class TrainKeyPinTests: XCTestCase {
    /// The manifest of CIFAR-10-LT IF 100 drawn from the real data (counts as METHOD.md §1).
    private func realManifest() throws -> SubsetManifest {
        let choice = try DatasetChoice(Parameters(["dataset": .string("cifar10"), "imbalance": .int(100),
                                                   "policy": .string("ldam")]))
        let counts = [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]
        return SubsetManifest(choice: choice, classCounts: counts, trainImages: counts.reduce(0, +), testImages: 10000,
                              indicesSHA256: String(repeating: "ab", count: 32), synthetic: false)
    }

    func testSubsetManifestOfRealDataKeepsItsBytes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try realManifest().write(to: directory)
        let bytes = try Data(contentsOf: directory.appendingPathComponent(SubsetManifest.fileName))
        XCTAssertEqual(Digest.sha256(String(decoding: bytes, as: UTF8.self)), "a940fe95904f0a7473ffa5dcf3e6b842a1adbca74c97f07b1b4d9083ac4e5243")
    }

    func testDatasetOutputDigestAndTrainKeyAreUnchanged() throws {
        let manifest = try realManifest()
        let digest = CacheKey.outputDigest(artifacts: [("indices.npy", String(repeating: "11", count: 32)),
                                                       ("subset.json", String(repeating: "22", count: 32))],
                                           metrics: DatasetStep.metrics(manifest))
        XCTAssertEqual(digest, "ed5fdb2d52902c6537f3a9fc849cee258dd77d370a1913986c2acf042ddd52eb")
        let spec = try SpecLoader(file: "pin.yaml", text: """
            steps:
              - name: data
                kind: dataset
                params: {dataset: cifar10, imbalance: 100, policy: ldam}
              - name: train-ce
                kind: train
                params: {dataset: cifar10, imbalance: 100, policy: ldam, method: ce, recipe: ldam, model: resnet32,
                         epochs: 200, seed: 0}
                inputs: {data: data}
            """).parse()
        let graph = try PipelineGraph(spec, registry: StepCatalog.registry)
        let train = try XCTUnwrap(graph.steps.first { $0.name == "train-ce" })
        XCTAssertEqual(train.version, 2)
        let decision = try Planner.decide(train, inputDigests: [("data", [digest])], forced: true, cache: NoCache())
        XCTAssertEqual(decision.key, "2b75b2dbeda91d0e2bbaa79005b8324cabf20ffd62708e84e583e41afbe4f72d")
    }
}

/// A cache that holds nothing.
private struct NoCache: CacheLookup {
    func step(key: String) throws -> CachedStep? { nil }
    func previous(name: String) throws -> CachedStep? { nil }
}
