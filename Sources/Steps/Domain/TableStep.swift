import Foundation
import Pipeline
import Reports
import Store

/// `table`: the paper's tables in GitHub Markdown, from the store (Reports): `claims.md` (the claims
/// ledger: a verdict per claim and setting), `main.md` (methods × settings, ours beside the published
/// numbers of the same setting; a stage-2 run adds a row for its stage-1 model), `ablation.md`
/// (many / medium / few / all on `ablation_dataset` / `ablation_imbalance`, default CIFAR-100-LT
/// IF 100 as in the paper), `geometry.md` (the analyse steps' geometry), `stage2.md` (runs with
/// stage 2 before and after it), and `tables.md` with all of them after `note`.
/// Published under `results/tables/<step name>/`. The ledger's verdicts are also recorded as
/// `claim_…` metrics (see `StoreSchema.createClaimResultView`), which the `claim_result` view shows.
///
/// Inputs: `runs` (train steps) and optionally `analyses` (analyse steps): the tables show exactly
/// these, so the cache key covers everything they read.
struct TableStep: StepKind {
    let name = "table"
    /// 3: the claims ledger (`claims.md`, `claim_…` metrics); published numbers only beside runs of
    /// their own setting; the paper's geometry figures in a note. 4: runs sharing a seed count once;
    /// seeds that all agree give no interval; runs on generated data are a setting of their own,
    /// without published numbers; stage-1 comparisons ignore stage-2 fields; C13 reads runs
    /// without stage 2; the evidence names runs as this pipeline does.
    /// 5: verdicts of sides trained with different recipes say so ("recipes differ"); the notes
    /// name which rows used which recipe; `ablation.md` is titled an ablation only with ablation variants.
    /// 6: a condition without overrides, beside conditions that override fields, is labelled by
    /// the fields it leaves at their preset ("sampler_power as preset"), not "no overrides".
    /// 7: numbers rounded half away from zero in decimal (77.175 is 77.18, as SQLite's `round`);
    /// a published number beside runs of a shortened schedule is marked "†" with a note; C11's
    /// source quotes the paper's label, BCE; `train_runs` counts the train inputs, not rows.
    /// 8: stage 2 against the same runs' stage-1 models (C9, C10) gets the paired interval over
    /// seeds, and the ledger's rule says so.
    /// 9: the notes say "seeds per cell: 1" where every cell has one seed (was "1–1").
    let version = 9
    let resources = StepResources.light
    let outputsNameInputs = true

    func validate(parameters: Parameters, inputNames: [String]) throws {
        try parameters.requireOnly(TableParameters.names)
        _ = try TableParameters(parameters)
        guard inputNames.contains("runs"), Set(inputNames).isSubset(of: ["runs", "analyses"]) else {
            throw StepInputError("'table' takes 'runs' (train steps) and optionally 'analyses' (analyse steps); found \(inputNames)")
        }
    }

    func validate(parameters: Parameters, inputs: [String: [(kind: String, parameters: Parameters)]]) throws {
        try InputKinds.require(["runs": "train", "analyses": "analyse"], in: inputs)
    }

    func run(_ context: StepContext) throws -> StepResult {
        let settings = try TableParameters(context.parameters)
        let store = try context.openStoreReadOnly()
        let inputNames = Dictionary(context.inputs.values.flatMap { $0.map { ($0.key, $0.name) } }) { first, _ in first }
        let tables = try ReportTables(store: store, deviations: settings.deviations, steps: Set(inputNames.keys))
        let ledger = ClaimLedger(evidence: try ClaimEvidence(store: store, steps: inputNames))
        let parts = tables.files(ledger: ledger, ablation: settings.ablation,
                                 stage2Runs: (context.inputs["runs"] ?? []).map { ($0.name, Self.finalTestMetrics($0.metrics)) })
        var publish: [String: String] = [:]
        for (file, text) in ReportTables.document(note: settings.note, files: parts) {
            try text.write(to: context.outputDirectory.appendingPathComponent(file), atomically: true, encoding: .utf8)
            publish[file] = "tables/\(context.name)/\(file)"
        }
        context.log(tables.mainTable())
        context.log("claims: \(ledger.countsText)")
        // Inputs, not table rows: a run with stage 2 is one input and two rows (before and after it).
        return StepResult(metrics: [Metric("train_runs", Double(context.inputs["runs"]?.count ?? 0)),
                                    Metric("geometry_runs", Double(tables.geometry.count))]
                                   + ClaimMetrics.metrics(ledger, inputs: context.inputs), publish: publish)
    }

    /// A step's final test metrics (no epoch, no class) by name.
    static func finalTestMetrics(_ metrics: [Metric]) -> [String: Double] {
        Dictionary(metrics.filter { $0.isFinal(on: .test) }.map { ($0.name, $0.value) }) { a, _ in a }
    }
}
