import Foundation
import GRDB
import XCTest
import Store
@testable import Pipeline

/// Issue 17: nothing wrong is reused, nothing escapes results/, a failure mid-run leaves no
/// `running` run and no staging behind. In-process executor, real store and files.
final class ReliabilityTests: XCTestCase {
    var directory: URL!
    var layout: ResultsLayout!
    let log = ExecutionLog()

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("reliability-\(UUID().uuidString)")
        layout = ResultsLayout(root: directory.appendingPathComponent("results"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private var registry: StepRegistry {
        StepRegistry([ConstKind(log: log), AddKind(log: log), PublishKind(), SabotageKind(), TimedKind(), DataKind(), NamesKind()])
    }

    @discardableResult
    private func run(_ yaml: String, forced: Set<String> = []) throws -> RunSummary {
        let store = try ExperimentStore.openForWriting(at: layout.store)
        let graph = try graph(yaml, registry: registry).withExternalInputs(dataDirectory: directory, registry: registry)
        let coordinator = Coordinator(graph: graph, layout: layout, store: store, executor: InProcessExecutor(registry: registry),
                                      options: RunOptions(jobs: 1, forced: forced, dataDirectory: directory))
        return try coordinator.run(RunRecord(pipeline: "test.yaml", pipelineSHA256: "", argv: "", startedAt: Date(),
                                             status: .running, codeVersion: "test"))
    }

    private func outcomes(_ summary: RunSummary) -> [String: RunStepRecord.Outcome] {
        Dictionary(uniqueKeysWithValues: summary.steps.map { ($0.name, $0.outcome) })
    }

    private let chain = """
        steps:
          - {name: a, kind: const, params: {value: 2}}
          - {name: sum, kind: add, inputs: {x: a}}
        """

    /// Case 6: a bit flipped in a stored artifact is found before a dependent uses it; the producer
    /// reruns and says why.
    func testAChangedArtifactRerunsItsProducer() throws {
        try run(chain)
        let store = try ExperimentStore.openReadOnly(at: layout.store)
        let artifact = try store.artifacts(ofStep: try store.latestStep(named: "a")!.key)[0]
        try "3".write(to: layout.file(artifact.path), atomically: true, encoding: .utf8)
        let summary = try run(chain)
        XCTAssertEqual(outcomes(summary), ["a": .ran, "sum": .reused])
        XCTAssertTrue(summary.steps[0].reason.contains("changed on disk"), summary.steps[0].reason)
        XCTAssertEqual(try String(contentsOf: layout.file(artifact.path), encoding: .utf8), "2")
    }

    /// Case 4 / case 9 (disk full): a store failure mid-run marks the run failed and removes the
    /// staging folder instead of leaving the run `running`.
    func testAFailureMidRunMarksTheRunFailedAndCleansStaging() throws {
        XCTAssertThrowsError(try run("steps:\n  - {name: s, kind: sabotage}\n"))
        let store = try ExperimentStore.openReadOnly(at: layout.store)
        XCTAssertEqual(try store.runs().map(\.status), [.failed])
        let staging = (try? FileManager.default.contentsOfDirectory(atPath: layout.stagingRoot.path)) ?? []
        XCTAssertEqual(staging, [])
    }

    /// Case 9: a renamed publishing step, reused, publishes under its new name.
    func testARenamedStepPublishesUnderItsNewName() throws {
        try run("steps:\n  - {name: old-name, kind: publish}\n")
        let summary = try run("steps:\n  - {name: new-name, kind: publish}\n")
        XCTAssertEqual(outcomes(summary), ["new-name": .reused])
        XCTAssertTrue(FileManager.default.fileExists(atPath: layout.file("tables/new-name/out.md").path))
        // A step named like its root folder keeps the root: figures/figures/ becomes figures/figs/.
        try run("steps:\n  - {name: figures, kind: publish, params: {to: figures/figures/a.md}}\n")
        XCTAssertEqual(outcomes(try run("steps:\n  - {name: figs, kind: publish, params: {to: figures/figures/a.md}}\n")), ["figs": .reused])
        XCTAssertTrue(FileManager.default.fileExists(atPath: layout.file("figures/figs/a.md").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: layout.file("figs").path))
    }

    /// A step whose outputs name its inputs reruns when an input step is renamed (same key: the
    /// key has no names), so its outputs never keep the old name; other steps stay reused.
    func testAStepThatNamesItsInputsRerunsWhenOneIsRenamed() throws {
        let pipeline = { (name: String) in
            "steps:\n  - {name: \(name), kind: const, params: {value: 1}}\n  - {name: n, kind: names, inputs: {x: \(name)}}\n"
        }
        let first = try run(pipeline("a"))
        let renamed = try run(pipeline("b"))
        XCTAssertEqual(outcomes(renamed), ["b": .reused, "n": .ran])
        XCTAssertEqual(renamed.steps.first { $0.name == "n" }?.reason, "input steps renamed: x")
        XCTAssertEqual(renamed.steps.first { $0.name == "n" }?.key, first.steps.first { $0.name == "n" }?.key)
        let key = try XCTUnwrap(renamed.steps.first { $0.name == "n" }?.key)
        XCTAssertEqual(try String(contentsOf: layout.artifacts(key).appendingPathComponent("names.txt"), encoding: .utf8), "b")
        XCTAssertEqual(outcomes(try run(pipeline("b"))), ["b": .reused, "n": .reused])
    }

    /// Another version of a step (another pipeline's step of the same name) publishing into the same
    /// folder replaces the copies the first left there: the folder never mixes two steps' output.
    func testAnotherVersionOfAStepReplacesItsPublishedCopies() throws {
        try run("steps:\n  - {name: figures, kind: publish, params: {to: figures/figures/a.md}}\n")
        try "mine".write(to: layout.file("figures/figures/notes.md"), atomically: true, encoding: .utf8)
        try run("steps:\n  - {name: figures, kind: publish, params: {to: figures/figures/b.md}}\n")
        let folder = try FileManager.default.contentsOfDirectory(atPath: layout.file("figures/figures").path).sorted()
        XCTAssertEqual(folder, ["b.md", "notes.md"], "the first version's a.md is gone; a file no step published stays")
        try run("steps:\n  - {name: figures, kind: publish, params: {to: figures/figures/a.md}}\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: layout.file("figures/figures").path).sorted(),
                       ["a.md", "notes.md"], "reusing the first version republishes it and removes b.md")
    }

    /// A version of a step that published into another folder leaves its copies there (they are not
    /// the new version's to replace); `gc`, dropping that version, deletes them with its artifacts,
    /// but not a copy that a kept step publishes at the same path.
    func testGarbageCollectionDeletesTheCopiesADroppedStepPublished() throws {
        func steps(_ figures: String, _ plots: String) -> String {
            "steps:\n  - {name: figures, kind: publish, params: {to: \(figures)}}\n  - {name: plots, kind: publish, params: {to: \(plots)}}\n"
        }
        try run(steps("figures/old/a.md", "figures/shared/c.md"))
        try run(steps("figures/new/a.md", "figures/other/c.md"))
        try run("steps:\n  - {name: keeper, kind: publish, params: {to: figures/shared/c.md, salt: 1}}\n")
        for path in ["old/a.md", "new/a.md", "shared/c.md", "other/c.md"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: layout.file("figures/" + path).path), path)
        }
        let store = try ExperimentStore.openForWriting(at: layout.store)
        let plan = try GarbageCollection(store: store, layout: layout, includeWork: false)
        XCTAssertEqual(plan.droppedKeys.count, 2, "the first versions of figures and plots")
        try plan.apply(to: store)
        XCTAssertFalse(FileManager.default.fileExists(atPath: layout.file("figures/old/a.md").path), "a dropped step's copy")
        for path in ["new/a.md", "shared/c.md", "other/c.md"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: layout.file("figures/" + path).path), "kept: \(path)")
        }
    }

    /// Case 2: a kind that asks to publish outside results/ fails; nothing is written there.
    func testPublishingOutsideTheResultsFolderFails() throws {
        let summary = try run("steps:\n  - {name: p, kind: publish, params: {to: ../../escaped.md}}\n")
        XCTAssertEqual(outcomes(summary), ["p": .failed])
        XCTAssertTrue(summary.steps[0].reason.contains("not a relative path inside the results folder"), summary.steps[0].reason)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("../escaped.md").path))
    }

    /// Issue 16: timings are stored but not digested, so a rerun leaves its dependents cached.
    func testTimingsAreStoredButNotDigested() throws {
        let pipeline = "steps:\n  - {name: t, kind: timed}\n  - {name: sum, kind: add, inputs: {x: t}}\n"
        try run(pipeline)
        let summary = try run(pipeline, forced: ["t"])
        XCTAssertEqual(outcomes(summary), ["t": .ran, "sum": .reused])
        let store = try ExperimentStore.openReadOnly(at: layout.store)
        XCTAssertEqual(try store.metrics(ofStep: try store.latestStep(named: "t")!.key).map(\.name).sorted(), ["seconds", "value"])
    }

    /// Case 1: what a step reads from the data directory joins its key, and a stored result must
    /// carry the metrics the data requires.
    func testExternalInputsDecideReuse() throws {
        let pipeline = "steps:\n  - {name: d, kind: data}\n  - {name: sum, kind: add, inputs: {x: d}}\n"
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "1".write(to: directory.appendingPathComponent("data.txt"), atomically: true, encoding: .utf8)
        try run(pipeline)
        XCTAssertEqual(Set(outcomes(try run(pipeline)).values), [.reused])
        try "2".write(to: directory.appendingPathComponent("data.txt"), atomically: true, encoding: .utf8)
        let changed = try run(pipeline)
        XCTAssertEqual(outcomes(changed), ["d": .ran, "sum": .ran])
        XCTAssertTrue(changed.steps[0].reason.hasPrefix("data changed"), changed.steps[0].reason)
    }

    func testAStoredResultWithoutTheRequiredMetricIsNotReused() throws {
        let step = GraphStep(name: "d", kind: "data", version: 1)
        var required = step
        required.external = ExternalInputs(identity: nil, requiredMetrics: ["synthetic": 0])
        var cache = MetricCache()
        let key = try XCTUnwrap(Planner.decide(step, inputDigests: [], forced: true, cache: cache).key)
        cache.byKey[key] = CachedStep(key: key, name: "d", kind: "data", version: 1, parameters: Parameters(), succeeded: true,
                                      outputDigest: "x", inputDigests: [:])
        cache.metrics = ["synthetic": 1]
        XCTAssertEqual(try Planner.decide(required, inputDigests: [], forced: false, cache: cache).reasonText,
                       "data changed: stored synthetic = 1.0, now 0.0")
        cache.metrics = ["synthetic": 0]
        XCTAssertEqual(try Planner.decide(required, inputDigests: [], forced: false, cache: cache), .reuse(key: key, outputDigest: "x"))
    }
}

/// A worker that dies without a result file (killed from outside, crashed) is timed from its launch,
/// not recorded as taking no time.
final class DyingWorkerTimingTests: XCTestCase {
    /// Reports, after `lifetime` seconds, the exit of a worker killed by SIGKILL that wrote nothing.
    private struct DyingExecutor: StepExecutor {
        let name = "dying"
        let lifetime: TimeInterval
        func launch(_ step: StepLaunch, finished: @escaping @Sendable (WorkerExit) -> Void) throws -> String {
            let lifetime = self.lifetime
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: lifetime)
                finished(WorkerExit(status: SIGKILL, cause: "worker killed by signal 9 (SIGKILL)"))
            }
            return "doomed"
        }
    }

    func testAWorkerKilledFromOutsideIsTimedFromItsLaunch() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dying-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let layout = ResultsLayout(root: directory.appendingPathComponent("results"))
        let registry = testRegistry(ExecutionLog())
        let store = try ExperimentStore.openForWriting(at: layout.store)
        let coordinator = Coordinator(graph: try graph("steps:\n  - {name: a, kind: const, params: {value: 2}}", registry: registry),
                                      layout: layout, store: store, executor: DyingExecutor(lifetime: 0.4),
                                      options: RunOptions(jobs: 1, dataDirectory: directory))
        let summary = try coordinator.run(RunRecord(pipeline: "test.yaml", pipelineSHA256: "", argv: "", startedAt: Date(),
                                                    status: .running, codeVersion: "test"))
        let report = try XCTUnwrap(summary.steps.first)
        XCTAssertEqual(report.outcome, .failed)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(report.seconds), 0.35, "the report's time")
        let stored = try XCTUnwrap(try store.latestStep(named: "a"))
        XCTAssertGreaterThanOrEqual(stored.seconds, 0.35, "the stored step's time")
        XCTAssertTrue(stored.error?.contains("SIGKILL") == true, stored.error ?? "no error")
    }
}

private struct MetricCache: CacheLookup {
    var byKey: [String: CachedStep] = [:]
    var metrics: [String: Double] = [:]
    func step(key: String) throws -> CachedStep? { byKey[key] }
    func previous(name: String) throws -> CachedStep? { nil }
    func metric(key: String, name: String) throws -> Double? { metrics[name] }
}

/// `publish`: writes `out.md` and publishes it to `to` (default `tables/<step name>/out.md`);
/// `salt` only changes the key.
private struct PublishKind: StepKind {
    let name = "publish"
    let version = 1
    let resources = StepResources.light
    func validate(parameters: Parameters, inputNames: [String]) throws { try parameters.requireOnly(["to", "salt"]) }
    func run(_ context: StepContext) throws -> StepResult {
        try "table".write(to: context.outputDirectory.appendingPathComponent("out.md"), atomically: true, encoding: .utf8)
        let to = try context.parameters.optional("to", default: "tables/\(context.name)/out.md", Parameters.string)
        return StepResult(publish: ["out.md": to])
    }
}

/// `names`: writes the names of its input steps to `names.txt` (as a table's evidence does).
private struct NamesKind: StepKind {
    let name = "names"
    let version = 1
    let resources = StepResources.light
    let outputsNameInputs = true
    func validate(parameters: Parameters, inputNames: [String]) throws {}
    func run(_ context: StepContext) throws -> StepResult {
        let names = context.inputs.values.joined().map(\.name).joined(separator: ",")
        try names.write(to: context.outputDirectory.appendingPathComponent("names.txt"), atomically: true, encoding: .utf8)
        return StepResult()
    }
}

/// `sabotage`: drops the store's metric table behind the coordinator's back, so the ingest fails.
private struct SabotageKind: StepKind {
    let name = "sabotage"
    let version = 1
    let resources = StepResources.light
    func validate(parameters: Parameters, inputNames: [String]) throws {}
    func run(_ context: StepContext) throws -> StepResult {
        // Wait for the coordinator's own writes (it records the step's submission) instead of failing on the lock.
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        let queue = try DatabaseQueue(path: context.resultsDirectory.appendingPathComponent("store.sqlite").path,
                                      configuration: configuration)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "DROP VIEW step_metric; DROP VIEW train_result; DROP TABLE metric") }
        return StepResult(metrics: [Metric("value", 1)])
    }
}

/// `timed`: `value.txt` = 7, and a wall-clock timing that differs on every run.
private struct TimedKind: StepKind {
    let name = "timed"
    let version = 1
    let resources = StepResources.light
    func validate(parameters: Parameters, inputNames: [String]) throws {}
    func run(_ context: StepContext) throws -> StepResult {
        try "7".write(to: context.outputDirectory.appendingPathComponent("value.txt"), atomically: true, encoding: .utf8)
        return StepResult(metrics: [Metric("value", 7)], timings: [Metric("seconds", Date().timeIntervalSince1970)])
    }
}

/// `data`: copies `data.txt` of the data directory to `value.txt`; the file's content is its identity.
private struct DataKind: StepKind {
    let name = "data"
    let version = 1
    let resources = StepResources.light
    func validate(parameters: Parameters, inputNames: [String]) throws {}
    func externalInputs(parameters: Parameters, dataDirectory: URL) -> ExternalInputs? {
        let text = (try? String(contentsOf: dataDirectory.appendingPathComponent("data.txt"), encoding: .utf8)) ?? ""
        return ExternalInputs(identity: .string(Digest.sha256(text)))
    }
    func run(_ context: StepContext) throws -> StepResult {
        let text = try String(contentsOf: context.dataDirectory.appendingPathComponent("data.txt"), encoding: .utf8)
        try text.write(to: context.outputDirectory.appendingPathComponent("value.txt"), atomically: true, encoding: .utf8)
        return StepResult(metrics: [Metric("value", Double(text) ?? 0)])
    }
}
