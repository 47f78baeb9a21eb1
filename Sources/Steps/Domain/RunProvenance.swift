import Foundation
import Pipeline
import Plotting

/// Provenance of a figure drawn by a step: the pipeline file and code version of the run that
/// launched it (the latest `run` row of the store: the coordinator records it before any step
/// starts), and the step's own cache key.
enum RunProvenance {
    static func of(_ context: StepContext, extra: [String: String] = [:]) -> Provenance {
        let latest = try? context.openStoreReadOnly().latestRun()
        return Provenance(pipeline: latest?.pipeline ?? "unknown", stepKey: context.key,
                          codeVersion: latest?.codeVersion ?? "unknown", extra: extra.merging(["step": context.name]) { a, _ in a })
    }
}
