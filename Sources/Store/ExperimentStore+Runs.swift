import Foundation
import GRDB

/// Everything a finished step leaves in the store, written together in one transaction.
public struct StepIngest: Equatable {
    public var step: StepRecord
    public var inputs: [StepInputRecord]
    public var artifacts: [ArtifactRecord]
    public var metrics: [MetricRecord]

    public init(step: StepRecord, inputs: [StepInputRecord], artifacts: [ArtifactRecord], metrics: [MetricRecord]) {
        self.step = step; self.inputs = inputs; self.artifacts = artifacts; self.metrics = metrics
    }
}

extension ExperimentStore {
    /// Records the start of a run. Runs still marked `running` were left by a coordinator that died
    /// (the caller holds the run lock, so no other coordinator is alive): they become `interrupted`,
    /// and so does every step still marked in flight (older stores also kept those of runs that
    /// stopped on an error).
    public func beginRun(_ run: RunRecord) throws -> Int64 {
        try write { db in
            try db.execute(sql: "UPDATE run_step SET outcome = ? WHERE outcome = ?",
                           arguments: [RunStepRecord.Outcome.interrupted.rawValue, RunStepRecord.Outcome.running.rawValue])
            try db.execute(sql: "UPDATE run SET status = ? WHERE status = ?",
                           arguments: [RunRecord.Status.interrupted.rawValue, RunRecord.Status.running.rawValue])
            var run = run
            try run.insert(db)
            return run.id!
        }
    }

    /// Marks a run finished with `status`.
    public func finishRun(_ id: Int64, status: RunRecord.Status, at date: Date = Date()) throws {
        try write { db in
            try db.execute(sql: "UPDATE run SET status = ?, finished_at = ? WHERE id = ?",
                           arguments: [status.rawValue, date, id])
        }
    }

    /// Ingests a finished step (succeeded or failed) and what the run did with it, atomically.
    /// Earlier rows for the same key (a previous failure) are replaced.
    ///
    /// A failed attempt at a step whose stored result succeeded (a `--force`d rerun that crashed)
    /// leaves that result, its artifacts and metrics in place: the failure is the run's, recorded
    /// in its `run_step` row alone.
    public func ingest(_ result: StepIngest, runStep: RunStepRecord) throws {
        try write { db in
            let keepsSucceeded = try result.step.status == .failed && StepRecord.fetchOne(db, key: result.step.key)?.status == .succeeded
            if !keepsSucceeded {
                _ = try StepRecord.deleteOne(db, key: result.step.key)
                try result.step.insert(db)
                for input in result.inputs { try input.insert(db) }
                for artifact in result.artifacts { try artifact.insert(db) }
                for metric in result.metrics { try metric.insert(db) }
            }
            try runStep.upsert(db)
        }
    }

    /// Records what a run did with a step that needed no ingest (reused or skipped).
    public func record(_ runStep: RunStepRecord) throws {
        try write { db in try runStep.upsert(db) }
    }

    /// Records several run steps in one transaction (a fully cached rerun writes all of them at once).
    public func record(_ runSteps: [RunStepRecord]) throws {
        try write { db in for runStep in runSteps { try runStep.upsert(db) } }
    }

    /// Deletes steps (with their inputs, artifacts and metrics, by cascade) in one transaction.
    public func deleteSteps(keys: [String]) throws {
        try write { db in _ = try StepRecord.deleteAll(db, keys: keys) }
    }
}
