import Foundation
import XCTest
import Store
@testable import Pipeline

/// Stops the first `stops` jobs from outside, as a cluster's time limit or preemption would (after
/// writing a checkpoint into the step's work directory when `checkpoints` is set), then runs the
/// step in process.
final class StoppingExecutor: StepExecutor, @unchecked Sendable {
    let name = "stopping"
    let stops: Int
    let isTimeLimit: Bool
    let checkpoints: Bool
    let inner: InProcessExecutor
    private let lock = NSLock()
    private var launched: [StepLaunch] = []

    init(stops: Int, isTimeLimit: Bool = true, checkpoints: Bool, registry: StepRegistry) {
        self.stops = stops; self.isTimeLimit = isTimeLimit; self.checkpoints = checkpoints
        inner = InProcessExecutor(registry: registry)
    }

    var launches: [StepLaunch] { lock.lock(); defer { lock.unlock() }; return launched }

    func launch(_ step: StepLaunch, finished: @escaping @Sendable (WorkerExit) -> Void) throws -> String {
        lock.lock()
        launched.append(step)
        let job = launched.count
        lock.unlock()
        guard job <= stops else { _ = try inner.launch(step, finished: finished); return "\(job)" }
        // As a real worker does, take the work directory's lock first (a file that is no checkpoint).
        let work = try JobFiles.read(WorkerJob.self, from: step.jobFile).context.workDirectory
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try "".write(to: work.appendingPathComponent(StepWorker.lockFileName), atomically: true, encoding: .utf8)
        if checkpoints {
            try "epoch \(job)".write(to: work.appendingPathComponent("checkpoint.txt"), atomically: true, encoding: .utf8)
        }
        let state = isTimeLimit ? "TIMEOUT" : "PREEMPTED"
        finished(WorkerExit(status: -1, cause: "fake job \(job) ended \(state); the next run resumes",
                            externalStop: ExternalStop("fake job \(job) ended \(state)", isTimeLimit: isTimeLimit)))
        return "\(job)"
    }
}

/// A step whose job is stopped from outside gets new jobs that resume it, within the run's limit;
/// a time-limited job whose step wrote no checkpoint is not resubmitted, since the next would stop
/// at the same point.
final class ResubmissionTests: XCTestCase {
    var directory: URL!
    var layout: ResultsLayout!
    let log = ExecutionLog()
    let pipeline = """
        steps:
          - {name: long, kind: const, params: {value: 7}}
          - {name: after, kind: add, inputs: {x: long}}
        """

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("resubmission-\(UUID().uuidString)")
        layout = ResultsLayout(root: directory.appendingPathComponent("results"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func run(_ executor: StoppingExecutor, resubmissions: Int) throws -> (RunSummary, ExperimentStore) {
        let store = try ExperimentStore.openForWriting(at: layout.store)
        let coordinator = Coordinator(graph: try graph(pipeline, registry: testRegistry(log)), layout: layout, store: store,
                                      executor: executor,
                                      options: RunOptions(dataDirectory: directory, resubmissions: resubmissions))
        let summary = try coordinator.run(RunRecord(pipeline: "test.yaml", pipelineSHA256: "", argv: "", startedAt: Date(),
                                                    status: .running, codeVersion: "test"))
        return (summary, store)
    }

    func longStep(_ store: ExperimentStore, run: Int64) throws -> RunStepRecord {
        try XCTUnwrap(try store.runSteps(ofRun: run).first { $0.name == "long" })
    }

    func testTimeLimitedJobsThatCheckpointedAreResubmittedUntilTheStepFinishes() throws {
        let executor = StoppingExecutor(stops: 2, checkpoints: true, registry: testRegistry(log))
        let (summary, store) = try run(executor, resubmissions: 10)
        XCTAssertTrue(summary.succeeded, "\(summary.steps)")
        XCTAssertEqual(executor.launches.filter { $0.step == "long" }.map(\.appendsToLog), [false, true, true],
                       "a resubmitted job continues the log of the one it resumes")
        let long = try longStep(store, run: summary.runID)
        XCTAssertEqual(long.outcome, .ran)
        XCTAssertEqual(long.jobID, "3")
        XCTAssertEqual(long.reason, "new; resubmitted after fake job 2 ended TIMEOUT (2 of at most 10)")
        XCTAssertEqual(try store.metrics(ofStep: XCTUnwrap(long.stepKey)).map(\.value), [7])
    }

    func testATimeLimitedJobWithoutACheckpointIsNotResubmitted() throws {
        let executor = StoppingExecutor(stops: 1, checkpoints: false, registry: testRegistry(log))
        let (summary, store) = try run(executor, resubmissions: 10)
        XCTAssertFalse(summary.succeeded)
        XCTAssertEqual(executor.launches.count, 1)
        let error = try XCTUnwrap(try store.latestStep(named: "long")?.error)
        XCTAssertTrue(error.hasPrefix("fake job 1 ended TIMEOUT; the next run resumes (not resubmitted: its checkpoint did not "
                                      + "advance during the job, so a new job would stop at the same point)"), error)
        XCTAssertEqual(summary.steps.first { $0.name == "after" }?.outcome, .skipped)
    }

    func testAPreemptedJobIsResubmittedEvenWithoutACheckpoint() throws {
        let executor = StoppingExecutor(stops: 1, isTimeLimit: false, checkpoints: false, registry: testRegistry(log))
        let (summary, store) = try run(executor, resubmissions: 10)
        XCTAssertTrue(summary.succeeded, "\(summary.steps)")
        XCTAssertEqual(try longStep(store, run: summary.runID).reason, "new; resubmitted after fake job 1 ended PREEMPTED (1 of at most 10)")
    }

    func testResubmissionsStopAtTheRunsLimit() throws {
        let executor = StoppingExecutor(stops: 3, checkpoints: true, registry: testRegistry(log))
        let (summary, store) = try run(executor, resubmissions: 1)
        XCTAssertFalse(summary.succeeded)
        XCTAssertEqual(executor.launches.count, 2)
        let error = try XCTUnwrap(try store.latestStep(named: "long")?.error)
        XCTAssertTrue(error.hasPrefix("fake job 2 ended TIMEOUT; the next run resumes "
                                      + "(not resubmitted: resubmitted 1 time already, the most this run allows)"), error)
    }

    func testWithoutResubmissionsTheStopFailsTheStepAsItIs() throws {
        let executor = StoppingExecutor(stops: 1, checkpoints: true, registry: testRegistry(log))
        let (summary, store) = try run(executor, resubmissions: 0)
        XCTAssertFalse(summary.succeeded)
        XCTAssertEqual(executor.launches.count, 1)
        XCTAssertEqual(try store.latestStep(named: "long")?.error, "fake job 1 ended TIMEOUT; the next run resumes")
    }
}
