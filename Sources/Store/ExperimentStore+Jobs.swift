import Foundation
import GRDB

/// Steps in flight: submitted to an executor (a local process, a Slurm job) and not yet settled.
extension ExperimentStore {
    /// The run steps still `running` in runs still `running`, oldest run first: what `bce3s status`
    /// shows with their job ids while a coordinator works (or after it was killed outright).
    public func stepsInFlight() throws -> [RunStepRecord] {
        try read { db in
            try RunStepRecord.fetchAll(db, sql: """
                SELECT rs.* FROM run_step rs JOIN run r ON r.id = rs.run_id
                WHERE r.status = ? AND rs.outcome = ? ORDER BY rs.run_id, rs.name
                """, arguments: [RunRecord.Status.running.rawValue, RunStepRecord.Outcome.running.rawValue])
        }
    }

    /// Ends an interrupted run in one transaction: its steps still in flight become `interrupted`
    /// with `reason`, the run `interrupted`.
    public func interruptRun(_ id: Int64, reason: String, at date: Date = Date()) throws {
        try endRun(id, status: .interrupted, inFlightReason: reason, at: date)
    }

    /// Ends a run in one transaction with `status`: its steps still in flight become `interrupted`
    /// with `inFlightReason` added to theirs (a run stopped by a signal, or by an error such as a
    /// full disk), so none stays `running` after its run.
    public func endRun(_ id: Int64, status: RunRecord.Status, inFlightReason: String, at date: Date = Date()) throws {
        try write { db in
            try db.execute(sql: "UPDATE run_step SET outcome = ?, reason = reason || '; ' || ? WHERE run_id = ? AND outcome = ?",
                           arguments: [RunStepRecord.Outcome.interrupted.rawValue, inFlightReason, id,
                                       RunStepRecord.Outcome.running.rawValue])
            try db.execute(sql: "UPDATE run SET status = ?, finished_at = ? WHERE id = ?",
                           arguments: [status.rawValue, date, id])
        }
    }
}

extension ExperimentStore {
    /// The run steps of steps that have no stored result yet (in flight, or interrupted before they
    /// finished; a failed step is stored), recorded under `name` or with a key starting with
    /// `keyPrefix` (nil: match by name only), newest run first: what `bce3s show` describes for a
    /// step that has not finished.
    public func unfinishedRunSteps(named name: String, keyPrefix: String?) throws -> [RunStepRecord] {
        try read { db in
            try RunStepRecord.fetchAll(db, sql: """
                SELECT rs.* FROM run_step rs JOIN run r ON r.id = rs.run_id
                WHERE rs.step_key IS NOT NULL AND (rs.name = ? OR rs.step_key LIKE ?)
                  AND NOT EXISTS (SELECT 1 FROM step s WHERE s.key = rs.step_key)
                ORDER BY r.started_at DESC, r.id DESC, rs.rowid DESC
                """, arguments: [name, keyPrefix.map { $0 + "%" }])
        }
    }

    /// The run with id `id`, if any.
    public func run(id: Int64) throws -> RunRecord? {
        try read { db in try RunRecord.fetchOne(db, key: id) }
    }
}
