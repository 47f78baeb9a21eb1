import Foundation
import GRDB

/// The store's schema as a list of named migrations. A migration that has landed on main is never
/// edited: change the schema by appending a new one, so existing stores upgrade in place.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-tables", migrate: { try createTables($0) })
        migrator.registerMigration("v1-views", migrate: { try createViews($0) })
        migrator.registerMigration("v2-claim-result", migrate: { try createClaimResultView($0) })
        migrator.registerMigration("v3-run-step-job", migrate: { try addRunStepJob($0) })
        migrator.registerMigration("v4-run-dependencies", migrate: { try addRunDependencies($0) })
        migrator.registerMigration("v5-claim-leaning", migrate: { try createClaimResultView($0) })
        migrator.registerMigration("v6-train-result-training-seconds", migrate: { try trainResultWithTrainingSeconds($0) })
        migrator.registerMigration("v7-claim-result-pipeline", migrate: { try createClaimResultView($0) })
        migrator.registerMigration("v8-train-result-condition", migrate: { try trainResultWithCondition($0) })
        migrator.registerMigration("v9-claim-result-order", migrate: { try createClaimResultView($0) })
        migrator.registerMigration("v10-step-machine", migrate: { try addStepMachine($0) })
        return migrator
    }

    /// Throws `StoreError.foreign` when the store records migrations this binary does not know,
    /// naming the code version of its latest run when it can be read.
    /// Also throws `StoreError.corrupt` for an SQLite database with tables but no migration record:
    /// another program's file at the store's path, which migrating would fill with bce3s's tables.
    static func refuseUnknownMigrations(_ db: Database, url: URL) throws {
        guard try db.tableExists("grdb_migrations") else {
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            guard tables.isEmpty else {
                throw StoreError.corrupt(url, "an SQLite database without bce3s's schema, holding tables "
                                         + tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : ""))
            }
            return
        }
        let known = Set(migrator.migrations)
        let unknown = try migrator.appliedIdentifiers(db).filter { !known.contains($0) }.sorted()
        guard !unknown.isEmpty else { return }
        let madeBy = try? String.fetchOne(db, sql: "SELECT code_version FROM run ORDER BY id DESC LIMIT 1")
        throw StoreError.foreign(url, unknownMigrations: unknown, madeBy: madeBy)
    }

    private static func createTables(_ db: Database) throws {
        try db.create(table: "run") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("pipeline", .text).notNull()
            t.column("pipeline_sha256", .text).notNull()
            t.column("argv", .text).notNull()
            t.column("started_at", .datetime).notNull()
            t.column("finished_at", .datetime)
            t.column("status", .text).notNull()
            t.column("code_version", .text).notNull()
        }
        try db.create(table: "step") { t in
            t.primaryKey("key", .text)
            t.column("kind", .text).notNull()
            t.column("name", .text).notNull().indexed()
            t.column("params_json", .text).notNull()
            t.column("version", .integer).notNull()
            t.column("status", .text).notNull()
            t.column("output_digest", .text)
            t.column("started_at", .datetime).notNull()
            t.column("finished_at", .datetime).notNull()
            t.column("seconds", .double).notNull()
            t.column("error", .text)
        }
        try db.create(table: "step_input") { t in
            t.column("step_key", .text).notNull().references("step", onDelete: .cascade)
            t.column("input_name", .text).notNull()
            t.column("position", .integer).notNull()
            t.column("input_key", .text).notNull().indexed()
            t.column("input_step", .text).notNull()
            t.column("digest", .text).notNull()
            t.primaryKey(["step_key", "input_name", "position"])
        }
        try db.create(table: "run_step") { t in
            t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
            t.column("name", .text).notNull()
            t.column("step_key", .text).indexed()
            t.column("outcome", .text).notNull()
            t.column("reason", .text).notNull()
            t.primaryKey(["run_id", "name"])
        }
        try db.create(table: "artifact") { t in
            t.column("step_key", .text).notNull().references("step", onDelete: .cascade)
            t.column("name", .text).notNull()
            t.column("path", .text).notNull()
            t.column("sha256", .text).notNull()
            t.column("bytes", .integer).notNull()
            t.column("published_path", .text)
            t.primaryKey(["step_key", "name"])
        }
        try db.create(table: "metric") { t in
            t.column("step_key", .text).notNull().references("step", onDelete: .cascade)
            t.column("name", .text).notNull()
            t.column("value", .double).notNull()
            t.column("epoch", .integer)
            t.column("class", .integer)
            t.column("split", .text)
        }
        try db.create(index: "metric_by_step", on: "metric", columns: ["step_key", "name"])
    }

    /// Views for people. `train_result` reads a train step's parameters from `params_json` and its
    /// final test metrics (`TrainMetricName.resultColumns`, recorded with split `test` and no epoch).
    private static func createViews(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIEW step_summary AS
            SELECT s.name, s.kind, s.status, s.seconds, s.finished_at, s.key, s.version, s.params_json, s.error
            FROM step s;

            CREATE VIEW step_metric AS
            SELECT s.name AS step, s.kind, m.name AS metric, m.value, m.epoch, m.class, m.split, s.key
            FROM metric m JOIN step s ON s.key = m.step_key;

            \(trainResultView(seconds: "s.seconds"));
            """)
    }

    /// `CREATE VIEW train_result` with `seconds` computed by the SQL expression `seconds` and
    /// `conditionColumns` (each ending in a comma) after `epochs`. (With `s.seconds` and no
    /// condition columns this is the text of migration `v1-views`, which must not change.)
    private static func trainResultView(seconds: String, conditionColumns: String = "") -> String {
        """
        CREATE VIEW train_result AS
        SELECT json_extract(s.params_json, '$.dataset')   AS dataset,
               json_extract(s.params_json, '$.imbalance') AS imbalance,
               json_extract(s.params_json, '$.policy')    AS policy,
               json_extract(s.params_json, '$.model')     AS model,
               json_extract(s.params_json, '$.method')    AS method,
               json_extract(s.params_json, '$.seed')      AS seed,
               json_extract(s.params_json, '$.epochs')    AS epochs,\(conditionColumns)
               \(TrainMetricName.resultColumns.map(resultColumn).joined(separator: ",\n       ")),
               \(seconds), s.name AS step, s.key
        FROM step s
        WHERE s.kind = 'train' AND s.status = 'succeeded'
        """
    }

    /// v6: `train_result.seconds` is the training's own time, its `seconds` metric (the sum of its
    /// epochs' wall times over every resume), where v1 read `step.seconds`, the wall time of only
    /// the worker that finished the step: for a training resumed from a checkpoint, its last piece
    /// (241 s of a 3,109-s Balanced Softmax run in results/reference-full). Steps without the
    /// metric keep `step.seconds`.
    private static func trainResultWithTrainingSeconds(_ db: Database) throws {
        try db.execute(sql: "DROP VIEW train_result; \(trainResultView(seconds: trainingSeconds));")
    }

    /// `train_result.seconds` since v6: the training's `seconds` metric, else `step.seconds`.
    private static let trainingSeconds = "coalesce((SELECT m.value FROM metric m WHERE m.step_key = s.key AND m.name = "
        + "'\(TrainMetricName.seconds.rawValue)' AND m.epoch IS NULL AND m.class IS NULL), s.seconds) AS seconds"

    /// v8: `train_result` gains what else makes a run's condition, so SQL can tell apart runs that
    /// share a method and a seed but not a recipe or an override (the ρ = 0 and ρ = 0.3 BCE3S runs
    /// of results/reference-full): `recipe`, and `overrides`, the JSON object of every other
    /// parameter the step sets (`set_recipe`, `set_method`, `stage2_epochs`, `precision`,
    /// `many_above`, `few_below`; `{}` when none). Group by both to average seeds of one condition.
    /// The evaluation interval (`set_recipe.eval_every`) stays in `overrides` though it changes no
    /// weight: the tables and the ledger pool such runs, plain SQL keeps them apart.
    private static func trainResultWithCondition(_ db: Database) throws {
        let named = ["dataset", "imbalance", "policy", "model", "method", "seed", "epochs", "recipe", "threads"]
        let condition = """

                   json_extract(s.params_json, '$.recipe')    AS recipe,
                   json_remove(s.params_json, \(named.map { "'$.\($0)'" }.joined(separator: ", "))) AS overrides,
            """
        try db.execute(sql: "DROP VIEW train_result; \(trainResultView(seconds: trainingSeconds, conditionColumns: condition));")
    }

    /// Which executor ran a step in a run, and its job there (a pid, a Slurm job id): set when the
    /// step is submitted, so `bce3s status` can show the jobs of steps in flight.
    private static func addRunStepJob(_ db: Database) throws {
        try db.alter(table: "run_step") { t in
            t.add(column: "executor", .text)
            t.add(column: "job_id", .text)
        }
    }

    /// The resolved Swift package versions of the build that made a run (`Package.resolved`).
    private static func addRunDependencies(_ db: Database) throws {
        try db.alter(table: "run") { t in t.add(column: "dependencies", .text) }
    }

    /// The machine and numeric libraries a step finished on (`StepRecord.machine`). Adds the column
    /// only where it is missing, so the migration is safe to apply again to a store whose record of
    /// it was lost.
    private static func addStepMachine(_ db: Database) throws {
        guard try !db.columns(in: "step").contains(where: { $0.name == "machine" }) else { return }
        try db.alter(table: "step") { t in t.add(column: "machine", .text) }
    }

    /// A column of `train_result`: the step's final test value of `metric`, named as the metric.
    /// (The text is that of migration `v1-views`, which must not change: a test pins it.)
    static func resultColumn(_ metric: TrainMetricName) -> String {
        "(SELECT m.value FROM metric m WHERE m.step_key = s.key AND m.name = '\(metric.rawValue)' "
            + "AND m.split = '\(MetricSplit.test.rawValue)' AND m.epoch IS NULL AND m.class IS NULL) AS \(metric.rawValue)"
    }
}

extension TrainMetricName {
    /// For a query over train steps `step s`: the step's final test value of this metric (split
    /// `test`, no epoch, no class) as a column of the same name, the way `train_result` has its columns.
    public var finalTestColumnSQL: String { StoreSchema.resultColumn(self) }
}
