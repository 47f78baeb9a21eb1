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
