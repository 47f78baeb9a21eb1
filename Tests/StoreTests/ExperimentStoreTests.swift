import Foundation
import GRDB
import XCTest
@testable import Store

final class ExperimentStoreTests: StoreTestCase {
    func testMigrationsCreateTablesAndViewsAndAreNamed() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let names = try store.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
        }
        for expected in ["artifact", "metric", "run", "run_step", "step", "step_input",
                         "step_metric", "step_summary", "train_result", "claim_result"] {
            XCTAssertTrue(names.contains(expected), "missing \(expected) in \(names)")
        }
        let applied = try store.read { db in try StoreSchema.migrator.appliedMigrations(db) }
        XCTAssertEqual(applied, ["v1-tables", "v1-views", "v2-claim-result", "v3-run-step-job", "v4-run-dependencies",
                                 "v5-claim-leaning", "v6-train-result-training-seconds", "v7-claim-result-pipeline",
                                 "v8-train-result-condition", "v9-claim-result-order", "v10-step-machine"])
        XCTAssertEqual(try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }, "wal")
    }

    /// `train_result.seconds` is the training's own time (its `seconds` metric, summed over every
    /// resume), not `step.seconds`, which for a resumed training is only its last piece.
    func testTrainResultSecondsIsTheTrainingsOwnTime() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let runID = try run(store)
        var resumed = step("k1", name: "train-balanced_softmax")
        resumed.seconds = 241.2
        try store.ingest(StepIngest(step: resumed, inputs: [], artifacts: [],
                                    metrics: [MetricRecord(stepKey: "k1", name: "seconds", value: 3108.6),
                                              MetricRecord(stepKey: "k1", name: "epoch_seconds", value: 15.5, epoch: 0)]),
                         runStep: RunStepRecord(runID: runID, name: "train-balanced_softmax", stepKey: "k1", outcome: .ran, reason: "new"))
        try store.ingest(StepIngest(step: step("k2", name: "train-old"), inputs: [], artifacts: [], metrics: []),
                         runStep: RunStepRecord(runID: runID, name: "train-old", stepKey: "k2", outcome: .ran, reason: "new"))
        let seconds = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT step, seconds FROM train_result ORDER BY step").map { [$0["step"] as String: $0["seconds"] as Double] }
        }
        XCTAssertEqual(seconds, [["train-balanced_softmax": 3108.6], ["train-old": 1]], "without the metric: step.seconds")
    }

    /// Two runs of one method and seed that differ in an override (BCE3S with ρ = 0 and ρ = 0.3)
    /// are told apart by `train_result.recipe` and `overrides`, which leave out the named columns.
    func testTrainResultNamesTheRecipeAndTheOverridesOfEachRun() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let runID = try run(store)
        let base = #""dataset":"cifar10","epochs":200,"imbalance":100,"method":"bce3s+stage2","model":"resnet32","#
            + #""policy":"ldam","recipe":"bce3s-paper","seed":0"#
        for (key, params) in [("k1", "{\(base),\"set_method\":{\"sampler_power\":0.3},\"stage2_epochs\":10,\"threads\":2}"),
                              ("k2", "{\(base),\"stage2_epochs\":10}"), ("k3", "{\(base)}")] {
            var record = step(key, name: "train-\(key)")
            record.paramsJSON = params
            try store.ingest(StepIngest(step: record, inputs: [], artifacts: [], metrics: []),
                             runStep: RunStepRecord(runID: runID, name: "train-\(key)", stepKey: key, outcome: .ran, reason: "new"))
        }
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT key, recipe, overrides FROM train_result ORDER BY key")
                .map { [$0["key"] as String, $0["recipe"] as String, $0["overrides"] as String] }
        }
        XCTAssertEqual(rows, [["k1", "bce3s-paper", #"{"set_method":{"sampler_power":0.3},"stage2_epochs":10}"#],
                              ["k2", "bce3s-paper", #"{"stage2_epochs":10}"#], ["k3", "bce3s-paper", "{}"]])
    }

    func testARunRecordsTheDependencyVersionsOfItsBuild() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let id = try store.beginRun(RunRecord(pipeline: "p.yaml", pipelineSHA256: "abc", argv: "bce3s run p.yaml", startedAt: Date(),
                                              status: .running, codeVersion: "abc123", dependencies: "GRDB.swift 7.10.0, Yams 6.2.2"))
        let stored = try store.read { db in try String.fetchOne(db, sql: "SELECT dependencies FROM run WHERE id = ?", arguments: [id]) }
        XCTAssertEqual(stored, "GRDB.swift 7.10.0, Yams 6.2.2")
    }

    func testIngestRoundTripsEveryRecordInOneTransaction() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let runID = try run(store)
        try store.ingest(StepIngest(step: step("k1", name: "data", kind: "write"), inputs: [], artifacts: [], metrics: []),
                         runStep: RunStepRecord(runID: runID, name: "data", stepKey: "k1", outcome: .ran, reason: "new"))
        let ingest = StepIngest(
            step: step("k2", name: "train"),
            inputs: [StepInputRecord(stepKey: "k2", inputName: "data", position: 0, inputKey: "k1", inputStep: "data", digest: "d1")],
            artifacts: [ArtifactRecord(stepKey: "k2", name: "model.bin", path: "artifacts/k2/model.bin", sha256: "s", bytes: 3)],
            metrics: [MetricRecord(stepKey: "k2", name: "loss", value: 0.5, epoch: 1, split: "train"),
                      MetricRecord(stepKey: "k2", name: "top1", value: 0.8, split: "test")])
        try store.ingest(ingest, runStep: RunStepRecord(runID: runID, name: "train", stepKey: "k2", outcome: .ran, reason: "new"))
        XCTAssertEqual(try store.step(key: "k2"), ingest.step)
        XCTAssertEqual(try store.inputs(ofStep: "k2"), ingest.inputs)
        XCTAssertEqual(try store.artifacts(ofStep: "k2"), ingest.artifacts)
        XCTAssertEqual(try store.metrics(ofStep: "k2"), ingest.metrics)
        XCTAssertEqual(try store.runSteps(ofRun: runID).map(\.name), ["data", "train"])
    }

    /// A `--force`d rerun that crashes must not erase the result it was redoing; a step that never
    /// succeeded keeps its latest failure.
    func testAFailedAttemptKeepsTheSucceededResultOfItsKey() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let first = try run(store)
        try store.ingest(StepIngest(step: step("k1", name: "train"), inputs: [],
                                    artifacts: [ArtifactRecord(stepKey: "k1", name: "model.bin", path: "artifacts/k1/model.bin", sha256: "s", bytes: 3)],
                                    metrics: [MetricRecord(stepKey: "k1", name: "top1", value: 70, split: "test")]),
                         runStep: RunStepRecord(runID: first, name: "train", stepKey: "k1", outcome: .ran, reason: "new"))
        let forced = try run(store)
        try store.ingest(StepIngest(step: step("k1", name: "train", status: .failed), inputs: [], artifacts: [], metrics: []),
                         runStep: RunStepRecord(runID: forced, name: "train", stepKey: "k1", outcome: .failed,
                                                reason: "forced; error: worker killed by signal 9 (SIGKILL)"))
        XCTAssertEqual(try store.step(key: "k1")?.status, .succeeded)
        XCTAssertEqual(try store.metrics(ofStep: "k1").map(\.value), [70])
        XCTAssertEqual(try store.artifacts(ofStep: "k1").map(\.name), ["model.bin"])
        XCTAssertEqual(try store.runSteps(ofRun: forced).map(\.outcome), [.failed], "the failure is the run's")

        try store.ingest(StepIngest(step: step("k2", name: "other", status: .failed), inputs: [], artifacts: [], metrics: []),
                         runStep: RunStepRecord(runID: forced, name: "other", stepKey: "k2", outcome: .failed, reason: "new"))
        var again = step("k2", name: "other", status: .failed)
        again.error = "second failure"
        try store.ingest(StepIngest(step: again, inputs: [], artifacts: [], metrics: []),
                         runStep: RunStepRecord(runID: forced, name: "other", stepKey: "k2", outcome: .failed, reason: "new"))
        XCTAssertEqual(try store.step(key: "k2")?.error, "second failure", "a failure replaces an earlier failure")
    }

    /// A run that stops on an error leaves none of its steps `running`; neither does the start of
    /// the next run for older stores that did.
    func testNoStepStaysRunningAfterItsRun() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let stopped = try run(store)
        try store.record(RunStepRecord(runID: stopped, name: "train", stepKey: "k1", outcome: .running, reason: "new"))
        try store.endRun(stopped, status: .failed, inFlightReason: "the run stopped on an error: disk full")
        XCTAssertEqual(try store.runSteps(ofRun: stopped).map(\.outcome), [.interrupted])
        XCTAssertEqual(try store.runSteps(ofRun: stopped).first?.reason, "new; the run stopped on an error: disk full")

        let old = try run(store)
        try store.record(RunStepRecord(runID: old, name: "train", stepKey: "k1", outcome: .running, reason: "new"))
        try store.finishRun(old, status: .failed)
        _ = try run(store)
        XCTAssertEqual(try store.runSteps(ofRun: old).map(\.outcome), [.interrupted])
    }

    func testAFailedIngestLeavesNothingBehind() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let runID = try run(store)
        // The metric refers to a step key that is not the ingested step: the foreign key fails the
        // transaction after the step row was inserted, and the step row must be rolled back.
        let broken = StepIngest(step: step("k1", name: "a"), inputs: [], artifacts: [],
                                metrics: [MetricRecord(stepKey: "no-such-step", name: "m", value: 1)])
        XCTAssertThrowsError(try store.ingest(broken, runStep: RunStepRecord(runID: runID, name: "a", stepKey: "k1",
                                                                             outcome: .ran, reason: "new")))
        XCTAssertNil(try store.step(key: "k1"))
        XCTAssertEqual(try store.runSteps(ofRun: runID), [])
    }

    func testASuccessReplacesAnEarlierFailureOfTheSameKey() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let runID = try run(store)
        let failed = StepIngest(step: step("k", name: "a", status: .failed), inputs: [], artifacts: [], metrics: [])
        try store.ingest(failed, runStep: RunStepRecord(runID: runID, name: "a", stepKey: "k", outcome: .failed, reason: "new"))
        XCTAssertEqual(try store.step(key: "k")?.status, .failed)
        let succeeded = StepIngest(step: step("k", name: "a"), inputs: [], artifacts: [],
                                   metrics: [MetricRecord(stepKey: "k", name: "m", value: 2)])
        try store.ingest(succeeded, runStep: RunStepRecord(runID: runID, name: "a", stepKey: "k", outcome: .ran, reason: "failed before"))
        XCTAssertEqual(try store.step(key: "k")?.status, .succeeded)
        XCTAssertEqual(try store.metrics(ofStep: "k").map(\.value), [2])
        XCTAssertEqual(try store.runSteps(ofRun: runID).map(\.outcome), [.ran])
    }

    func testLatestStepByNameIsTheMostRecentlyFinished() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        try store.write { db in
            try step("old", name: "a", finished: 10).insert(db)
            try step("new", name: "a", finished: 20).insert(db)
            try step("other", name: "b", finished: 30).insert(db)
        }
        XCTAssertEqual(try store.latestStep(named: "a")?.key, "new")
        XCTAssertNil(try store.latestStep(named: "c"))
    }

    func testBeginRunMarksRunsLeftRunningAsInterrupted() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let first = try run(store)
        let second = try run(store)
        try store.finishRun(second, status: .succeeded)
        XCTAssertEqual(try store.runs().map(\.status), [.interrupted, .succeeded])
        XCTAssertEqual(try store.runs().map(\.id), [first, second])
    }

    func testTrainResultViewJoinsParametersAndFinalTestMetrics() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let params = #"{"dataset":"cifar10","epochs":200,"imbalance":100,"method":"bce3s","model":"resnet32","policy":"none","seed":0}"#
        try store.write { db in
            try step("k", name: "train-bce3s", params: params).insert(db)
            for (name, value) in [("top1", 0.8), ("many", 0.9), ("medium", 0.8), ("few", 0.7)] {
                try MetricRecord(stepKey: "k", name: name, value: value, split: "test").insert(db)
            }
            try MetricRecord(stepKey: "k", name: "top1", value: 0.1, epoch: 3, split: "test").insert(db)
            try step("d", name: "data", kind: "dataset").insert(db)
        }
        let table = try store.query("SELECT dataset, imbalance, method, seed, epochs, top1, many, medium, few FROM train_result")
        XCTAssertEqual(table.rows.count, 1)
        let expected: [any DatabaseValueConvertible] = ["cifar10", 100, "bce3s", 0, 200, 0.8, 0.9, 0.8, 0.7]
        XCTAssertEqual(table.rows[0], expected.map(\.databaseValue))
    }

    func testIntegrityCheckOfAHealthyStoreIsOk() throws {
        XCTAssertEqual(try ExperimentStore.openForWriting(at: storeURL).integrityCheck(), ["ok"])
    }
}
