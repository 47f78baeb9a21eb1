import Foundation
import GRDB

/// A run of another store, with its entries for the steps being imported: copied beside them so
/// that each imported step keeps its provenance (the pipeline, the command, the code that
/// computed it) and stays the current version of its step name for `bce3s gc`.
public struct ImportedRun: Equatable {
    public var run: RunRecord
    /// The run's `ran` and `reused` entries for steps the importing store holds once the import is done.
    public var steps: [RunStepRecord]

    public init(run: RunRecord, steps: [RunStepRecord]) {
        self.run = run; self.steps = steps
    }
}

extension ExperimentStore {
    /// Step `key` as `ingest` stored it (its row, inputs, artifacts and metrics in recorded order);
    /// nil when this store has no such step.
    public func stepIngest(key: String) throws -> StepIngest? {
        try read { db in
            guard let step = try StepRecord.fetchOne(db, key: key) else { return nil }
            return StepIngest(
                step: step,
                inputs: try StepInputRecord.filter(Column("step_key") == key).order(Column("input_name"), Column("position")).fetchAll(db),
                artifacts: try ArtifactRecord.filter(Column("step_key") == key).order(Column("name")).fetchAll(db),
                metrics: try MetricRecord.filter(Column("step_key") == key).order(Column("rowid")).fetchAll(db))
        }
    }

    /// The runs in which a step of `ranKeys` ran, oldest first, each with its `ran` and `reused`
    /// entries for the steps of `recordedKeys`. A run still marked `running` is copied as
    /// `interrupted`: in the importing store no coordinator is running it.
    public func runsThatRan(_ ranKeys: Set<String>, recording recordedKeys: Set<String>) throws -> [ImportedRun] {
        try read { db in
            let entries = try RunStepRecord.fetchAll(db, sql: "SELECT * FROM run_step WHERE outcome IN ('ran', 'reused') ORDER BY run_id, rowid")
            let runIDs = Set(entries.filter { $0.outcome == .ran && $0.stepKey.map(ranKeys.contains) == true }.map(\.runID))
            return try RunRecord.filter(runIDs.contains(Column("id"))).order(Column("id")).fetchAll(db).map { run in
                var copy = run
                if copy.status == .running { copy.status = .interrupted }
                return ImportedRun(run: copy, steps: entries.filter { $0.runID == run.id && $0.stepKey.map(recordedKeys.contains) == true })
            }
        }
    }

    /// Adds `steps` (in order: inputs before the steps that use them) and the runs that computed
    /// them, in one transaction, and records the import itself as the run `record` (no entries of
    /// its own: the copied runs carry the steps' provenance). A step already stored as succeeded
    /// is left as it is; a failed row under an imported key is replaced. A run that an earlier
    /// import copied (same pipeline, command, start and code version) gains the entries it lacks
    /// rather than a second copy. Returns how many runs were copied anew.
    @discardableResult
    public func importSteps(_ steps: [StepIngest], runs: [ImportedRun], record: RunRecord) throws -> Int {
        try write { db in
            for ingest in steps where try StepRecord.fetchOne(db, key: ingest.step.key)?.status != .succeeded {
                _ = try StepRecord.deleteOne(db, key: ingest.step.key)
                try ingest.step.insert(db)
                for input in ingest.inputs { try input.insert(db) }
                for artifact in ingest.artifacts { try artifact.insert(db) }
                for metric in ingest.metrics { try metric.insert(db) }
            }
            var copied = 0
            for imported in runs {
                let earlier = try RunRecord.filter(Column("pipeline") == imported.run.pipeline && Column("argv") == imported.run.argv
                                                   && Column("started_at") == imported.run.startedAt
                                                   && Column("code_version") == imported.run.codeVersion).fetchOne(db)
                var run = earlier ?? imported.run
                if earlier == nil {
                    run.id = nil
                    try run.insert(db)
                    copied += 1
                }
                for var entry in imported.steps {
                    entry.runID = run.id!
                    try entry.insert(db, onConflict: .ignore)
                }
            }
            var importRun = record
            importRun.id = nil
            try importRun.insert(db)
            return copied
        }
    }
}
