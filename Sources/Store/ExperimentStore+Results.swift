import Foundation
import GRDB

/// One row of the `train_result` view with what its step adds: the `recipe` parameter and, for a
/// run with stage 2, the stage-1 model's accuracies. Accuracies in % as stored.
public struct TrainResultRow: Equatable, Sendable {
    public var key: String
    public var dataset: String?
    public var imbalance: Double?
    public var method: String?
    public var seed: Int?
    public var model: String?, policy: String?, recipe: String?
    public var epochs: Int?
    /// The train step's `precision` parameter (or `set_recipe`'s); `fp32` when absent.
    public var precision: String?
    /// The view's accuracy columns (`TrainMetricName.resultColumns`) and their stage-1
    /// counterparts (`stageOne`), by name; a name is absent when its metric was not recorded.
    public var accuracies: [TrainMetricName: Double]
    /// The step's canonical parameters, for what the columns leave out (stage 2, overrides).
    public var paramsJSON: String?
}

/// One final metric (no epoch, no class) of a succeeded step, labelled with the step's
/// `dataset`, `imbalance`, `method` and `seed` parameters.
public struct LabelledMetricRow: Equatable, Sendable {
    public var key: String
    public var dataset: String?
    public var imbalance: Double?
    public var method: String?
    public var seed: Int?
    public var name: String
    public var value: Double
}

/// A succeeded step with the parameters of the step behind its `model` input (an analysis's
/// train step), if it has one.
public struct StepWithModelInput: Equatable, Sendable {
    public var step: StepRecord
    public var modelParamsJSON: String?
}

/// The named reads behind the results tables, the claims ledger, run histories and figure
/// provenance: the SQL lives here, the readers get records.
extension ExperimentStore {
    /// Every row of the `train_result` view (succeeded train steps), ordered by dataset,
    /// imbalance, method and seed.
    public func trainResultRows() throws -> [TrainResultRow] {
        let columns = TrainMetricName.resultColumns
        let stageOne = columns.compactMap(\.stageOne)
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.dataset, r.imbalance, r.method, r.seed, \(columns.map { "r.\($0.rawValue)" }.joined(separator: ", ")),
                       r.model, r.policy, r.epochs, json_extract(s.params_json, '$.recipe') AS recipe, r.key, s.params_json,
                       coalesce(json_extract(s.params_json, '$.precision'), json_extract(s.params_json, '$.set_recipe.precision'),
                                'fp32') AS precision,
                       \(stageOne.map(\.finalTestColumnSQL).joined(separator: ",\n"))
                FROM train_result r JOIN step s ON s.key = r.key
                ORDER BY r.dataset, r.imbalance, r.method, r.seed
                """).map { row in
                var accuracies: [TrainMetricName: Double] = [:]
                for name in columns + stageOne { accuracies[name] = row[name.rawValue] }
                return TrainResultRow(key: row["key"], dataset: row["dataset"], imbalance: row["imbalance"], method: row["method"],
                                      seed: row["seed"], model: row["model"], policy: row["policy"], recipe: row["recipe"],
                                      epochs: row["epochs"], precision: row["precision"], accuracies: accuracies,
                                      paramsJSON: row["params_json"])
            }
        }
    }

    /// Final metrics (no epoch, no class) in `split` of the succeeded steps of kind `kind`, in
    /// step-key order and, within a step, in the order they were recorded.
    public func labelledFinalMetrics(kind: String, split: MetricSplit) throws -> [LabelledMetricRow] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.key, json_extract(s.params_json, '$.dataset') AS dataset,
                       json_extract(s.params_json, '$.imbalance') AS imbalance,
                       json_extract(s.params_json, '$.method') AS method, json_extract(s.params_json, '$.seed') AS seed,
                       m.name, m.value
                FROM metric m JOIN step s ON s.key = m.step_key
                WHERE s.kind = ? AND s.status = 'succeeded' AND m.split = ? AND m.epoch IS NULL AND m.class IS NULL
                ORDER BY s.key, m.rowid
                """, arguments: [kind, split.rawValue]).map { row in
                LabelledMetricRow(key: row["key"], dataset: row["dataset"], imbalance: row["imbalance"], method: row["method"],
                                  seed: row["seed"], name: row["name"], value: row["value"])
            }
        }
    }

    /// Succeeded steps of the given kinds, ordered by name then key, each with the parameters of
    /// the step behind its `model` input.
    public func succeededSteps(kinds: [String]) throws -> [StepWithModelInput] {
        guard !kinds.isEmpty else { return [] }
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.*,
                       (SELECT t.params_json FROM step_input i JOIN step t ON t.key = i.input_key
                        WHERE i.step_key = s.key AND i.input_name = 'model' LIMIT 1) AS model_params
                FROM step s WHERE s.kind IN (\(kinds.map { _ in "?" }.joined(separator: ", "))) AND s.status = 'succeeded'
                ORDER BY s.name, s.key
                """, arguments: StatementArguments(kinds)).map { row in
                StepWithModelInput(step: try StepRecord(row: row), modelParamsJSON: row["model_params"])
            }
        }
    }

    /// Keys of the steps that read generated data: an input of theirs (a dataset step) recorded
    /// `synthetic` = 1. Tables and claims never put published numbers beside such runs.
    public func keysOfStepsOnSyntheticData() throws -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: """
                SELECT DISTINCT i.step_key FROM step_input i JOIN metric m ON m.step_key = i.input_key
                WHERE m.name = 'synthetic' AND m.value = 1 AND m.epoch IS NULL AND m.class IS NULL
                """))
        }
    }

    /// The final metrics (no epoch, no class) of step `key` in `split`, in the order they were recorded.
    public func finalMetrics(ofStep key: String, split: MetricSplit) throws -> [MetricRecord] {
        try read { db in
            try MetricRecord.filter(Column("step_key") == key && Column("split") == split.rawValue
                                    && Column("epoch") == nil && Column("class") == nil)
                .order(Column("rowid")).fetchAll(db)
        }
    }

    /// The latest run (highest id): the coordinator records it before any step starts, so a
    /// running step finds the run that launched it.
    public func latestRun() throws -> RunRecord? {
        try read { db in try RunRecord.order(Column("id").desc).fetchOne(db) }
    }

    /// What the runs `runIDs` did with steps that are stored as succeeded: the `ran` and `reused`
    /// entries, ordered by run (by start, then id).
    public func succeededRunSteps(ofRuns runIDs: [Int64]) throws -> [RunStepRecord] {
        guard !runIDs.isEmpty else { return [] }
        return try read { db in
            try RunStepRecord.fetchAll(db, sql: """
                SELECT rs.* FROM run_step rs JOIN step s ON s.key = rs.step_key JOIN run r ON r.id = rs.run_id
                WHERE s.status = 'succeeded' AND rs.outcome IN ('ran', 'reused')
                  AND rs.run_id IN (\(runIDs.map { _ in "?" }.joined(separator: ",")))
                ORDER BY r.started_at, rs.run_id, rs.rowid
                """, arguments: StatementArguments(runIDs))
        }
    }
}
