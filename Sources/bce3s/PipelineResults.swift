import Foundation
import Pipeline
import Reports
import Steps
import Store

/// A pipeline's stored results, found through its runs in the store (not by planning, so a store
/// without artifacts, such as `results/reference/`, works): the steps' latest keys, and the train
/// and analyse steps its `table` step reads (all of them when it has none).
struct PipelineResults {
    let file: String
    let graph: PipelineGraph
    let layout: ResultsLayout
    /// The results directory as the user gave it, for printing paths.
    let directory: String
    let store: ExperimentStore
    let history: PipelineRunHistory

    init(pipeline: String, results: ResultsOptions) throws {
        file = pipeline
        // Stored results are found through the runs, not by planning: no data directory is read.
        graph = try PipelineGraph(SpecLoader.load(URL(fileURLWithPath: pipeline)), registry: StepCatalog.registry)
        layout = results.layout
        directory = results.directory
        store = try ExperimentStore.openReadOnly(at: layout.store)
        history = try PipelineRunHistory(store: store, pipelineFile: pipeline)
        guard !history.runs.isEmpty else {
            throw StoreError.sqlite(layout.store, "no run of \(URL(fileURLWithPath: pipeline).lastPathComponent) is recorded here; "
                                    + "run `bce3s run \(pipeline)\(results.directory == "results" ? "" : " --results \(results.directory)")` first")
        }
    }

    /// The pipeline's first step of `kind`, if any.
    func step(kind: String) -> GraphStep? { graph.steps.first { $0.kind == kind } }

    /// Stored keys of the steps the `table` step reads (inputs `runs` and `analyses`; without a
    /// table step, every train and analyse step), each with its name in this pipeline.
    var evidenceSteps: [String: String] {
        let names: [String]
        if let table = step(kind: "table") {
            names = table.inputs.flatMap { $0.steps.map { graph.steps[$0].name } }
        } else {
            names = graph.steps.filter { ["train", "analyse"].contains($0.kind) }.map(\.name)
        }
        return Dictionary(names.compactMap { name in history.steps[name].map { ($0.key, name) } }) { first, _ in first }
    }

    func ledger() throws -> ClaimLedger { ClaimLedger(evidence: try ClaimEvidence(store: store, steps: evidenceSteps)) }

    /// Where this pipeline's ledger is in the results folder: `tables/<table step>/claims.md`, where
    /// the table step publishes it, or `tables/claims.md`, where the committed reference folders
    /// keep it (`report --markdown DIR/tables`) — whichever holds exactly the table step's stored
    /// `claims.md` or the ledger `current` (its Markdown as `claims` builds it now, for a folder whose
    /// stored table step predates the ledger); another pipeline's table step of the same name
    /// publishes to the same path, so a file is named only for its content.
    func ledgerPath(current: String) -> String? {
        guard let table = step(kind: "table") else { return nil }
        let stored = history.steps[table.name].flatMap { step in
            try? store.artifacts(ofStep: step.key).first(where: { $0.name == "claims.md" })
        }
        let trimmed = { (text: String) in text.trimmingCharacters(in: .whitespacesAndNewlines) }
        return ["tables/\(table.name)/claims.md", "tables/claims.md"].first { path in
            let file = layout.file(path)
            if let stored, (try? Digest.sha256(file: file))?.sha256 == stored.sha256 { return true }
            return (try? String(contentsOf: file, encoding: .utf8)).map(trimmed) == trimmed(current)
        }.map { "\(directory)/\($0)" }
    }

    /// `report/<pipeline name>.html` under the results directory.
    var reportPath: String { "report/\(graph.name).html" }
    var reportURL: URL { layout.file(reportPath) }
}
