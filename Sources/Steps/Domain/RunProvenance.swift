import Foundation
import GRDB
import Pipeline
import Plotting
import Store

/// Provenance of a figure drawn by a step: the pipeline file and code version of the run that
/// launched it (the latest `run` row of the store: the coordinator records it before any step
/// starts), and the step's own cache key.
enum RunProvenance {
    static func of(_ context: StepContext, extra: [String: String] = [:]) -> Provenance {
        let storeURL = context.resultsDirectory.appendingPathComponent("store.sqlite")
        let latest = try? ExperimentStore.openReadOnly(at: storeURL).read { db in
            try Row.fetchOne(db, sql: "SELECT pipeline, code_version FROM run ORDER BY id DESC LIMIT 1")
        }
        return Provenance(pipeline: (latest?["pipeline"] as String?) ?? "unknown", stepKey: context.key,
                          codeVersion: (latest?["code_version"] as String?) ?? "unknown", extra: extra.merging(["step": context.name]) { a, _ in a })
    }
}
