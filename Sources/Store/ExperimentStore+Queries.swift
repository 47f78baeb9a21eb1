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
                WHERE rs.step_key = ? AND rs.outcome = 'ran' ORDER BY r.id DESC LIMIT 1
                """, arguments: [key])
        }
    }

    /// All runs, oldest first.
    public func runs() throws -> [RunRecord] {
        try read { db in try RunRecord.order(Column("id")).fetchAll(db) }
    }

    /// What run `runID` did with each of its steps.
    public func runSteps(ofRun runID: Int64) throws -> [RunStepRecord] {
        try read { db in
            try RunStepRecord.filter(Column("run_id") == runID).order(Column("rowid")).fetchAll(db)
        }
    }

    /// Keys used by the latest run and the latest successful run of each pipeline: what `bce3s gc` keeps.
    public func keysOfLatestRuns() throws -> Set<String> {
        try read { db in
            let keys = try String.fetchAll(db, sql: """
                SELECT rs.step_key FROM run_step rs
                WHERE rs.step_key IS NOT NULL
                  AND rs.run_id IN (SELECT max(id) FROM run GROUP BY pipeline
                                    UNION SELECT max(id) FROM run WHERE status = 'succeeded' GROUP BY pipeline)
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
}
