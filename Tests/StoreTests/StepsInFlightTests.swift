import Foundation
import GRDB
import XCTest
@testable import Store

/// `run_step.executor` and `job_id`: steps in flight, an interrupted run, and a store made before
/// the columns existed.
final class StepsInFlightTests: StoreTestCase {
    func testInFlightStepsAreThoseStillRunningInARunningRun() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let runID = try run(store)
        try store.record([
            RunStepRecord(runID: runID, name: "train", stepKey: "k1", outcome: .running, reason: "new", executor: "slurm", jobID: "42"),
            RunStepRecord(runID: runID, name: "data", stepKey: "k0", outcome: .reused, reason: "cached"),
        ])
        XCTAssertEqual(try store.stepsInFlight().map { [$0.name, $0.executor, $0.jobID] }, [["train", "slurm", "42"]])

        try store.interruptRun(runID, reason: "run 1 interrupted by SIGTERM; cancelled slurm jobs 42")
        XCTAssertEqual(try store.stepsInFlight(), [])
        let steps = Dictionary(uniqueKeysWithValues: try store.runSteps(ofRun: runID).map { ($0.name, $0) })
        XCTAssertEqual(steps["data"]?.outcome, .reused)
        XCTAssertEqual(steps["train"]?.outcome, .interrupted)
        XCTAssertEqual(steps["train"]?.reason, "new; run 1 interrupted by SIGTERM; cancelled slurm jobs 42")
        XCTAssertEqual(steps["train"]?.jobID, "42")
        XCTAssertEqual(try store.runs().map(\.status), [.interrupted])
    }

    func testARunKilledOutrightHasItsStepsInFlightInterruptedByTheNextRun() throws {
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let killed = try run(store)
        try store.record(RunStepRecord(runID: killed, name: "train", stepKey: "k1", outcome: .running, reason: "new",
                                       executor: "slurm", jobID: "7"))
        XCTAssertEqual(try store.stepsInFlight().count, 1, "until the next run, status shows the job of the killed run")
        _ = try run(store)
        XCTAssertEqual(try store.runSteps(ofRun: killed).map(\.outcome), [.interrupted])
        XCTAssertEqual(try store.stepsInFlight(), [])
    }

    func testAStoreFromBeforeTheJobColumnsIsMigratedKeepingItsRows() throws {
        let queue = try DatabaseQueue(path: storeURL.path)
        try StoreSchema.migrator.migrate(queue, upTo: "v2-claim-result")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO run (pipeline, pipeline_sha256, argv, started_at, status, code_version) VALUES ('p', 's', 'a', '2026-01-01', 'succeeded', 'c')")
            try db.execute(sql: "INSERT INTO run_step (run_id, name, step_key, outcome, reason) VALUES (1, 'train', 'k1', 'ran', 'new')")
        }
        try queue.close()
        let store = try ExperimentStore.openForWriting(at: storeURL)
        let old = try XCTUnwrap(try store.runSteps(ofRun: 1).first)
        XCTAssertEqual([old.name, old.reason], ["train", "new"])
        XCTAssertNil(old.executor)
        XCTAssertNil(old.jobID)
    }
}
