import Foundation
import XCTest
import Store
@testable import Pipeline

/// `GarbageCollection`: the deletion policy of `bce3s gc`, on a real store filled by the coordinator.
final class GarbageCollectionTests: XCTestCase {
    var directory: URL!
    var layout: ResultsLayout!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gc-\(UUID().uuidString)")
        layout = ResultsLayout(root: directory.appendingPathComponent("results"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func run(_ value: Int, pipeline: String = "p.yaml") throws {
        let registry = testRegistry(ExecutionLog())
        let yaml = "steps:\n  - {name: a, kind: const, params: {value: \(value)}}\n  - {name: b, kind: add, inputs: {x: a}}\n"
        let coordinator = Coordinator(graph: try graph(yaml, registry: registry), layout: layout,
                                      store: try ExperimentStore.openForWriting(at: layout.store),
                                      executor: InProcessExecutor(registry: registry),
                                      options: RunOptions(jobs: 1, dataDirectory: directory))
        let summary = try coordinator.run(RunRecord(pipeline: pipeline, pipelineSHA256: "", argv: "", startedAt: Date(),
                                                    status: .running, codeVersion: "test"))
        XCTAssertTrue(summary.succeeded)
    }

    private func makeDirectory(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func testDropsWhatOnlyOlderRunsUsedAndLeftoversButKeepsLatestRunsAndCheckpoints() throws {
        try run(1)
        let store = try ExperimentStore.openForWriting(at: layout.store)
        let oldKeys = Set(try store.allSteps().map(\.key))
        try run(2)
        try run(7, pipeline: "other.yaml")
        let keptKeys = try store.keysOfLatestRuns()
        XCTAssertEqual(keptKeys.count, 4, "two pipelines' latest runs, two steps each")
        let leftover = layout.staging("leftover"), stray = layout.artifacts("stray"), orphanWork = layout.work("orphan")
        let keptWork = layout.work(try XCTUnwrap(keptKeys.first))
        for folder in [leftover, stray, orphanWork, keptWork] { try makeDirectory(folder) }

        let plan = try GarbageCollection(store: store, layout: layout, includeWork: false)
        XCTAssertEqual(Set(plan.droppedKeys), oldKeys)
        XCTAssertEqual(plan.storedStepCount, 6)
        let expected = oldKeys.map { layout.artifacts($0).path } + [leftover.path, stray.path]
        XCTAssertEqual(plan.paths.map(\.path), expected.sorted())

        let withWork = try GarbageCollection(store: store, layout: layout, includeWork: true)
        XCTAssertEqual(withWork.paths.map(\.path), (expected + [orphanWork.path]).sorted(),
                       "checkpoints of unknown steps go only with includeWork; those of kept steps stay")

        try withWork.apply(to: store)
        XCTAssertEqual(Set(try store.allSteps().map(\.key)), keptKeys)
        for path in withWork.paths { XCTAssertFalse(FileManager.default.fileExists(atPath: path.path), path.path) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: keptWork.path))
        for key in keptKeys { XCTAssertTrue(FileManager.default.fileExists(atPath: layout.artifacts(key).path)) }
        let again = try GarbageCollection(store: store, layout: layout, includeWork: true)
        XCTAssertEqual(again.droppedKeys, [])
        XCTAssertEqual(again.paths, [])
    }
}
