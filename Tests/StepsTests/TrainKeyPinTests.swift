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

extension TrainKeyPinTests {
    /// The keys in `results/store.sqlite` and `results/reference-full`: with the real dataset
    /// step's output digest, `train-ce` of `pipelines/cifar10-lt-if100.yaml` has key 2360494a…
    /// (stored) and `train-ldam_drw` f97eb4f9… (its 200-epoch run was in flight when this test
    /// was written; its checkpoints live under that key).
    func testKeysOfTheStoredAndInFlightTrainingsAreUnchanged() throws {
        let spec = try SpecLoader(file: "cifar10-lt-if100.yaml", text: """
            steps:
              - name: data
                kind: dataset
                params: {dataset: cifar10, imbalance: 100, policy: ldam}
              - name: train-{method}
                kind: train
                grid: {method: [ce, ldam_drw]}
                params: {dataset: cifar10, imbalance: 100, policy: ldam, recipe: ldam, model: resnet32, epochs: 200, seed: 0,
                         set_recipe: {eval_every: 10}}
                inputs: {data: data}
            """).parse()
        let graph = try PipelineGraph(spec, registry: StepCatalog.registry)
        let dataDigest = "cb6a037a11be599bbbcb94246c1d4802b1ea0d65ea398899d71fb5dfdde7844e"
        func key(_ name: String) throws -> String? {
            let step = try XCTUnwrap(graph.steps.first { $0.name == name })
            return try Planner.decide(step, inputDigests: [("data", [dataDigest])], forced: true, cache: NoCache()).key
        }
        XCTAssertEqual(try key("train-ce"), "2360494a2beb61e5afdd2b8697b5dfd480747ac4af930f4871fc47aa8185d6e4")
        XCTAssertEqual(try key("train-ldam_drw"), "f97eb4f9ae4c20f698c87a78845a488d96c172b319d5960f5671ba41f246cef3")
    }
}

/// A cache that holds nothing.
private struct NoCache: CacheLookup {
    func step(key: String) throws -> CachedStep? { nil }
    func previous(name: String) throws -> CachedStep? { nil }
}
