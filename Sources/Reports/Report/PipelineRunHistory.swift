import Foundation
import Store

/// A pipeline's results as its runs left them in the store: for each step name, the cache key of
/// the latest run of that pipeline that ran or reused it successfully. This needs only the store
/// (no artifacts), so it works on a copied store such as `results/reference/`.
public struct PipelineRunHistory {
    /// What the latest run that knew a step did with it.
    public struct Entry: Equatable {
        public var key: String
        public var outcome: String
        public var runID: Int64
    }

    /// Runs of the pipeline, oldest first (matched by the pipeline file's name).
    public let runs: [RunRecord]
    public let steps: [String: Entry]

    /// Runs whose pipeline file has the same file name as `pipelineFile`, and their latest
    /// succeeded key per step name.
    public init(store: ExperimentStore, pipelineFile: String) throws {
        let fileName = URL(fileURLWithPath: pipelineFile).lastPathComponent
        let runs = try store.runs().filter { URL(fileURLWithPath: $0.pipeline).lastPathComponent == fileName }
        let ids = runs.compactMap(\.id)
        var steps: [String: Entry] = [:]
        for runStep in try store.succeededRunSteps(ofRuns: ids) {
            guard let key = runStep.stepKey else { continue }
            steps[runStep.name] = Entry(key: key, outcome: runStep.outcome.rawValue, runID: runStep.runID)
        }
        (self.runs, self.steps) = (runs, steps)
    }
}
