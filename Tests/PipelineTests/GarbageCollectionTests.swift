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

    /// Runs pipeline `a → b` (a's value `value`), or only the steps `only` and their inputs, as
    /// `bce3s run --only` and `bce3s figures` do.
    private func run(_ value: Int, pipeline: String = "p.yaml", only: Set<String>? = nil, extra: String = "") throws {
        let registry = testRegistry(ExecutionLog())
        let yaml = "steps:\n  - {name: a, kind: const, params: {value: \(value)}}\n  - {name: b, kind: add, inputs: {x: a}}\n" + extra
        let whole = try graph(yaml, registry: registry)
        let coordinator = Coordinator(graph: only.map { whole.restricted(to: $0) } ?? whole, layout: layout,
                                      store: try ExperimentStore.openForWriting(at: layout.store),
                                      executor: InProcessExecutor(registry: registry),
                                      options: RunOptions(jobs: 1, dataDirectory: directory))
        let summary = try coordinator.run(RunRecord(pipeline: pipeline, pipelineSHA256: "", argv: "", startedAt: Date(),
                                                    status: .running, codeVersion: "test"))
        XCTAssertTrue(summary.succeeded)
    }

    /// A store that knows no step beside a folder of artifacts (a fresh store put in place of the
    /// real one) is not collected: that would delete every result.
    func testAStoreThatKnowsNoStepBesideArtifactsIsRefused() throws {
        try run(1)
        try FileManager.default.removeItem(at: layout.store)
        let store = try ExperimentStore.openForWriting(at: layout.store)
        XCTAssertThrowsError(try GarbageCollection(store: store, layout: layout, includeWork: false)) { error in
            XCTAssertTrue("\(error)".contains("knows no step, yet"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: layout.artifactsRoot.path).count, 2)
    }

    /// A partial run (`--only a`, or `bce3s figures`, which runs one step and its inputs) records
    /// only what it touched; the steps it left out are still the pipeline's results and stay.
    func testAPartialRunDoesNotOrphanTheStepsItLeftOut() throws {
        let c = "  - {name: c, kind: add, params: {offset: 5}, inputs: {x: b}}\n"
        try run(1, extra: c)
        let store = try ExperimentStore.openForWriting(at: layout.store)
        let all = Set(try store.allSteps().map(\.key))
        XCTAssertEqual(all.count, 3)
        try run(1, only: ["a"], extra: c)
        XCTAssertEqual(try store.runSteps(ofRun: 2).map(\.name), ["a"], "the partial run recorded a alone")
        XCTAssertEqual(try GarbageCollection(store: store, layout: layout, includeWork: false).droppedKeys, [],
                       "b and c are the current versions of their names")
        try run(2, extra: c)
        let superseded = try GarbageCollection(store: store, layout: layout, includeWork: false)
        XCTAssertEqual(Set(superseded.droppedKeys), all, "a new value of a changes every key: the old versions go")
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
        let keptKeys = try store.keysToKeep()
        XCTAssertEqual(keptKeys.count, 4, "two pipelines' latest runs, two steps each")
        let leftover = layout.staging("leftover"), stray = layout.artifacts("stray"), orphanWork = layout.work("orphan")
        let keptWork = layout.work(try XCTUnwrap(keptKeys.first))   // a failed --force rerun's leftover
        for folder in [leftover, stray, orphanWork, keptWork] { try makeDirectory(folder) }
        // Logs: of an unknown step (gone, e.g. a gc killed after its store commit), of an unknown
        // step whose checkpoint remains (kept with it), of a kept step.
        let strayLog = layout.log("straylog"), orphanLog = layout.log("orphan"), keptLog = layout.log(try XCTUnwrap(keptKeys.first))
        try makeDirectory(strayLog.deletingLastPathComponent())
        for log in [strayLog, orphanLog, keptLog] { try Data("log".utf8).write(to: log) }

        let plan = try GarbageCollection(store: store, layout: layout, includeWork: false)
        XCTAssertEqual(Set(plan.droppedKeys), oldKeys)
        XCTAssertEqual(plan.storedStepCount, 6)
        let expected = oldKeys.map { layout.artifacts($0).path } + [leftover.path, stray.path, strayLog.path]
        XCTAssertEqual(plan.paths.map(\.path), expected.sorted())

        let withWork = try GarbageCollection(store: store, layout: layout, includeWork: true)
        XCTAssertEqual(withWork.paths.map(\.path), (expected + [orphanWork.path, orphanLog.path, keptWork.path]).sorted(),
                       "checkpoints of unknown steps, and of steps with a succeeded result, go only with includeWork")

        try withWork.apply(to: store)
        XCTAssertEqual(Set(try store.allSteps().map(\.key)), keptKeys)
        for path in withWork.paths { XCTAssertFalse(FileManager.default.fileExists(atPath: path.path), path.path) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: keptLog.path))
        for key in keptKeys { XCTAssertTrue(FileManager.default.fileExists(atPath: layout.artifacts(key).path)) }
        let again = try GarbageCollection(store: store, layout: layout, includeWork: true)
        XCTAssertEqual(again.droppedKeys, [])
        XCTAssertEqual(again.paths, [])
    }
}
