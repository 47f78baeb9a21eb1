import Foundation
import GRDB

/// Typed reads used by the planner, `bce3s show`, `bce3s gc` and reports.
extension ExperimentStore {
    /// The step stored under cache key `key`, if any.
    public func step(key: String) throws -> StepRecord? {
        try read { db in try StepRecord.fetchOne(db, key: key) }
    }

    /// The most recently finished step called `name` (any key), if any.
    public func latestStep(named name: String) throws -> StepRecord? {
        try read { db in
            try StepRecord.filter(Column("name") == name)
                .order(Column("finished_at").desc).fetchOne(db)
        }
    }

    /// The step a run last recorded under `name` (ran or reused), if any. Its stored name may be
    /// another: a step is stored under the name it was first computed with, and another pipeline
    /// (or step) with the same cache key reuses it under its own name.
    public func latestStep(recordedAs name: String) throws -> StepRecord? {
        try read { db in
            try StepRecord.fetchOne(db, sql: """
                SELECT s.* FROM step s WHERE s.key = (
                    SELECT rs.step_key FROM run_step rs JOIN run r ON r.id = rs.run_id
                    WHERE rs.name = ? AND rs.step_key IS NOT NULL AND rs.outcome IN ('ran', 'reused')
                    ORDER BY r.started_at DESC, r.id DESC LIMIT 1)
                """, arguments: [name])
        }
    }

    /// Steps whose key starts with `prefix` (what `bce3s show` accepts besides a name).
    public func steps(keyPrefix prefix: String) throws -> [StepRecord] {
        try read { db in
            try StepRecord.filter(Column("key").like("\(prefix)%")).order(Column("finished_at").desc).fetchAll(db)
        }
    }

    /// Every stored step.
    public func allSteps() throws -> [StepRecord] {
        try read { db in try StepRecord.fetchAll(db) }
    }

    /// The inputs a step ran with, ordered by input name then position.
    public func inputs(ofStep key: String) throws -> [StepInputRecord] {
        try read { db in
            try StepInputRecord.filter(Column("step_key") == key)
                .order(Column("input_name"), Column("position")).fetchAll(db)
        }
    }

    /// The artifacts of a step, ordered by name.
    public func artifacts(ofStep key: String) throws -> [ArtifactRecord] {
        try read { db in
            try ArtifactRecord.filter(Column("step_key") == key).order(Column("name")).fetchAll(db)
        }
    }

    /// The metrics of a step in the order they were recorded.
    public func metrics(ofStep key: String) throws -> [MetricRecord] {
        try read { db in
            try MetricRecord.filter(Column("step_key") == key).order(Column("rowid")).fetchAll(db)
        }
    }

    /// The code version (`run.code_version`) of the latest run in which the step with cache key
    /// `key` ran, i.e. the code that computed its stored result; `nil` if no run recorded it.
    public func codeVersionThatComputed(key: String) throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: """
                SELECT r.code_version FROM run_step rs JOIN run r ON r.id = rs.run_id
                WHERE rs.step_key = ? AND rs.outcome = 'ran' ORDER BY r.started_at DESC, r.id DESC LIMIT 1
                """, arguments: [key])
        }
    }

    /// All runs, oldest first: by start, then id (a run copied by `bce3s import` keeps its start).
    public func runs() throws -> [RunRecord] {
        try read { db in try RunRecord.order(Column("started_at"), Column("id")).fetchAll(db) }
    }

    /// What run `runID` did with each of its steps.
    public func runSteps(ofRun runID: Int64) throws -> [RunStepRecord] {
        try read { db in
            try RunStepRecord.filter(Column("run_id") == runID).order(Column("rowid")).fetchAll(db)
        }
    }

    /// What `bce3s gc` keeps: the keys used by the latest run and the latest successful run of
    /// each pipeline, and for every step name of a pipeline the version the latest run recording
    /// that name used and the latest version that ran or was reused. The per-name part matters
    /// for partial runs (`--only`, `bce3s figures`, `bce3s table`): they record only the steps
    /// they touched, and the steps they left out are still the pipeline's current results, not
    /// garbage. Older versions of a step name (other parameters, code or inputs) are dropped; a
    /// step whose name left the pipeline file keeps its last version. "Latest" is by the run's
    /// start (then id), so that a run copied in by `bce3s import`, which keeps its start, ranks
    /// where it ran and not where it was copied.
    public func keysToKeep() throws -> Set<String> {
        try read { db in
            let keys = try String.fetchAll(db, sql: """
                WITH named AS (
                    SELECT r.pipeline, rs.name, rs.step_key, rs.outcome, rs.run_id, r.started_at
                    FROM run_step rs JOIN run r ON r.id = rs.run_id
                    WHERE rs.step_key IS NOT NULL)
                SELECT step_key FROM named
                WHERE run_id IN (SELECT (SELECT l.id FROM run l WHERE l.pipeline = p.pipeline
                                         ORDER BY l.started_at DESC, l.id DESC LIMIT 1) FROM run p
                                 UNION SELECT (SELECT l.id FROM run l WHERE l.pipeline = p.pipeline AND l.status = 'succeeded'
                                               ORDER BY l.started_at DESC, l.id DESC LIMIT 1) FROM run p)
                UNION
                SELECT n.step_key FROM named n
                WHERE n.run_id = (SELECT m.run_id FROM named m WHERE m.pipeline = n.pipeline AND m.name = n.name
                                  ORDER BY m.started_at DESC, m.run_id DESC LIMIT 1)
                UNION
                SELECT n.step_key FROM named n
                WHERE n.outcome IN ('ran', 'reused')
                  AND n.run_id = (SELECT m.run_id FROM named m
                                  WHERE m.pipeline = n.pipeline AND m.name = n.name AND m.outcome IN ('ran', 'reused')
                                  ORDER BY m.started_at DESC, m.run_id DESC LIMIT 1)
                """)
            return Set(keys)
        }
    }
}

extension ExperimentStore {
    /// Artifacts of `keys` that have a people-facing copy (`published_path`).
    public func publishedArtifacts(ofSteps keys: [String]) throws -> [ArtifactRecord] {
        guard !keys.isEmpty else { return [] }
        return try read { db in
            try ArtifactRecord.filter(keys.contains(Column("step_key")) && Column("published_path") != nil).fetchAll(db)
        }
    }

    /// The people-facing paths that the other stored versions of a step called `name` (any key but
    /// `key`, of this or another pipeline) published: what a new version's copies replace.
    public func publishedPaths(ofStepsNamed name: String, except key: String) throws -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: """
                SELECT a.published_path FROM artifact a JOIN step s ON s.key = a.step_key
                WHERE s.name = ? AND s.key != ? AND a.published_path IS NOT NULL
                """, arguments: [name, key]))
        }
    }
}
