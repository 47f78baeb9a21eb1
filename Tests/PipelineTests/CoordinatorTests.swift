import Foundation
import XCTest
import Store
@testable import Pipeline

/// The scheduler with the in-process executor: real store, real files, test kinds.
final class CoordinatorTests: XCTestCase {
    var directory: URL!
    var layout: ResultsLayout!
    let log = ExecutionLog()

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("coordinator-\(UUID().uuidString)")
        layout = ResultsLayout(root: directory.appendingPathComponent("results"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    @discardableResult
    func run(_ yaml: String, jobs: Int = 2, forced: Set<String> = [], code: String = "test") throws -> RunSummary {
        let registry = testRegistry(log)
        let store = try ExperimentStore.openForWriting(at: layout.store)
        let coordinator = Coordinator(graph: try graph(yaml, registry: registry), layout: layout, store: store,
                                      executor: InProcessExecutor(registry: registry),
                                      options: RunOptions(jobs: jobs, forced: forced, dataDirectory: directory))
        return try coordinator.run(RunRecord(pipeline: "test.yaml", pipelineSHA256: "", argv: "", startedAt: Date(),
                                             status: .running, codeVersion: code))
    }

    func outcomes(_ summary: RunSummary) -> [String: RunStepRecord.Outcome] {
        Dictionary(uniqueKeysWithValues: summary.steps.map { ($0.name, $0.outcome) })
    }

    let chain = """
        steps:
          - {name: a, kind: const, params: {value: 2}}
          - {name: b, kind: const, params: {value: 3}}
          - {name: sum, kind: add, inputs: {x: [a, b]}}
          - {name: plus, kind: add, params: {offset: 10}, inputs: {x: sum}}
        """

    func testFirstRunExecutesEverythingAndTheRerunNothing() throws {
        let first = try run(chain)
        XCTAssertTrue(first.succeeded)
        XCTAssertEqual(Set(log.executed), ["a", "b", "sum", "plus"])
        let store = try ExperimentStore.openReadOnly(at: layout.store)
        let plus = try store.latestStep(named: "plus")!
        XCTAssertEqual(try store.metrics(ofStep: plus.key).map(\.value), [15])
        let artifact = try store.artifacts(ofStep: plus.key)[0]
        XCTAssertEqual(artifact.path, "artifacts/\(plus.key)/value.txt")
        XCTAssertEqual(try String(contentsOf: layout.file(artifact.path), encoding: .utf8), "15")
        XCTAssertFalse(FileManager.default.fileExists(atPath: layout.staging(plus.key).path))

        let second = try run(chain)
        XCTAssertEqual(log.executed.count, 4, "a cached rerun executes nothing")
        XCTAssertEqual(Set(outcomes(second).values), [.reused])
        XCTAssertEqual(try store.runSteps(ofRun: second.runID).map(\.outcome), [.reused, .reused, .reused, .reused])
    }

    func testAResultComputedByOtherCodeIsReusedAndSaysWhichCode() throws {
        try run(chain, code: "v1")
        try run(chain, forced: ["plus"], code: "v2")
        let reasons = { (summary: RunSummary) in Dictionary(uniqueKeysWithValues: summary.steps.map { ($0.name, $0.reason) }) }
        let underV2 = reasons(try run(chain, code: "v2"))
        XCTAssertEqual(underV2["a"], "cached; computed by v1, code now v2")
        XCTAssertEqual(underV2["plus"], "cached", "plus last ran under v2")
        let underV1 = reasons(try run(chain, code: "v1"))
        XCTAssertEqual(underV1["a"], "cached")
        XCTAssertEqual(underV1["plus"], "cached; computed by v2, code now v1")
        XCTAssertEqual(log.executed.count, 5, "provenance never makes a step run")
        let store = try ExperimentStore.openReadOnly(at: layout.store)
        let lastRun = try XCTUnwrap(store.runs().last?.id)
        XCTAssertTrue(try store.runSteps(ofRun: lastRun).contains { $0.reason == "cached; computed by v2, code now v1" },
                      "the reason is stored with the run")
    }

    func testParameterChangeRerunsTheStepAndOnlyWhatDependsOnIt() throws {
        try run(chain)
        let summary = try run(chain.replacingOccurrences(of: "value: 3", with: "value: 4"))
        XCTAssertEqual(outcomes(summary), ["a": .reused, "b": .ran, "sum": .ran, "plus": .ran])
        XCTAssertEqual(summary.steps.first { $0.name == "b" }?.reason, "parameters changed: value")
        XCTAssertEqual(summary.steps.first { $0.name == "sum" }?.reason, "input changed: x")
        let store = try ExperimentStore.openReadOnly(at: layout.store)
        XCTAssertEqual(try store.metrics(ofStep: try store.latestStep(named: "plus")!.key).map(\.value), [16])
    }

    func testARerunWithIdenticalOutputsKeepsDependentsCached() throws {
        try run(chain)
        let summary = try run(chain, forced: ["a"])
        XCTAssertEqual(outcomes(summary), ["a": .ran, "b": .reused, "sum": .reused, "plus": .reused])
    }

    func testDeletedArtifactsAreRebuilt() throws {
        try run(chain)
        let store = try ExperimentStore.openReadOnly(at: layout.store)
        try FileManager.default.removeItem(at: layout.artifacts(try store.latestStep(named: "a")!.key))
        let summary = try run(chain)
        XCTAssertEqual(outcomes(summary), ["a": .ran, "b": .reused, "sum": .reused, "plus": .reused])
    }

    func testAFailureSkipsItsDependentsWhileIndependentStepsFinish() throws {
        let yaml = """
            steps:
              - {name: bad, kind: boom}
              - {name: after-bad, kind: add, inputs: {x: bad}}
              - {name: after-after, kind: add, inputs: {x: after-bad}}
              - {name: good, kind: const, params: {value: 1}}
              - {name: after-good, kind: add, inputs: {x: good}}
            """
        let summary = try run(yaml)
        XCTAssertFalse(summary.succeeded)
        XCTAssertEqual(outcomes(summary), ["bad": .failed, "after-bad": .skipped, "after-after": .skipped,
                                           "good": .ran, "after-good": .ran])
        XCTAssertEqual(summary.steps.first { $0.name == "after-bad" }?.reason, "input failed: bad")
        XCTAssertEqual(summary.steps.first { $0.name == "after-after" }?.reason, "input failed: after-bad")
        let store = try ExperimentStore.openReadOnly(at: layout.store)
        XCTAssertEqual(try store.runs().last?.status, .failed)
        let bad = try store.latestStep(named: "bad")!
        XCTAssertEqual(bad.status, .failed)
        XCTAssertEqual(bad.error, "inputs: boom")

        let rerun = try run(yaml)
        XCTAssertEqual(rerun.steps.first { $0.name == "bad" }?.reason, "inputs: boom")
        XCTAssertEqual(try store.runSteps(ofRun: rerun.runID).first { $0.name == "bad" }?.reason,
                       "failed before: inputs: boom; error: inputs: boom")
        XCTAssertEqual(outcomes(rerun)["good"], .reused)
    }

    func testIndependentStepsRunInParallelUpToJobs() throws {
        let dir = directory.appendingPathComponent("meet").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let summary = try run("""
            steps:
              - {name: left, kind: meet, params: {dir: "\(dir)", me: left, other: right}}
              - {name: right, kind: meet, params: {dir: "\(dir)", me: right, other: left}}
            """, jobs: 2)
        XCTAssertTrue(summary.succeeded, "\(summary.steps)")
    }

    func testHeavyStepsNeverOverlap() throws {
        let summary = try run("""
            steps:
              - name: s-{id}
                kind: span
                grid: {id: [1, 2, 3]}
            """, jobs: 3)
        XCTAssertTrue(summary.succeeded)
        let spans = log.intervals.sorted { $0.start < $1.start }
        XCTAssertEqual(spans.count, 3)
        for (earlier, later) in zip(spans, spans.dropFirst()) { XCTAssertLessThanOrEqual(earlier.end, later.start) }
    }

    func testTwoStepsWithTheSameKeyRunOnce() throws {
        let summary = try run("""
            steps:
              - {name: one, kind: const, params: {value: 7}}
              - {name: two, kind: const, params: {value: 7}}
            """)
        XCTAssertEqual(log.executed.count, 1)
        XCTAssertEqual(Set(summary.steps.map(\.outcome)), [.ran, .reused])
        XCTAssertEqual(summary.steps[0].key, summary.steps[1].key)
    }
}

/// Running part of a pipeline: `--only` and reuse-only steps (figures must never train).
final class PartialRunTests: XCTestCase {
    let log = ExecutionLog()
    let yaml = """
        steps:
          - {name: a, kind: const, params: {value: 1}}
          - {name: b, kind: const, params: {value: 2}}
          - {name: c, kind: add, inputs: {x: a}}
          - {name: d, kind: add, inputs: {x: [c, b]}}
          - {name: e, kind: add, inputs: {x: b}}
        """

    func testRestrictedGraphKeepsTheStepsAndEverythingTheyNeed() throws {
        let g = try graph(yaml, registry: testRegistry(log))
        let part = g.restricted(to: ["c", "e"])
        XCTAssertEqual(part.steps.map(\.name), ["a", "b", "c", "e"])
        XCTAssertEqual(part.steps[2].inputs[0].steps, [0])
        XCTAssertEqual(part.steps[3].inputs[0].steps, [1])
        XCTAssertEqual(g.restricted(to: ["d"]).steps.map(\.name), ["a", "b", "c", "d"])
    }

    func testReuseOnlyStepsFailInsteadOfRunning() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("partial-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let layout = ResultsLayout(root: directory)
        let registry = testRegistry(log)
        let store = try ExperimentStore.openForWriting(at: layout.store)
        let g = try graph(yaml, registry: registry).restricted(to: ["c", "e"])
        let coordinator = Coordinator(graph: g, layout: layout, store: store, executor: InProcessExecutor(registry: registry),
                                      options: RunOptions(reuseOnly: ["a"], dataDirectory: directory))
        let summary = try coordinator.run(RunRecord(pipeline: "t", pipelineSHA256: "", argv: "", startedAt: Date(),
                                                    status: .running, codeVersion: "test"))
        let outcomes = Dictionary(uniqueKeysWithValues: summary.steps.map { ($0.name, $0.outcome) })
        XCTAssertEqual(outcomes, ["a": .failed, "b": .ran, "c": .skipped, "e": .ran])
        XCTAssertEqual(summary.steps.first { $0.name == "a" }?.reason, "not cached (new) and this run may only reuse it")
        XCTAssertEqual(Set(log.executed), ["b", "e"])
        XCTAssertEqual(Set(try store.runSteps(ofRun: summary.runID).map { "\($0.name)=\($0.outcome)" }),
                       ["a=failed", "b=ran", "c=skipped", "e=ran"])
    }
}
