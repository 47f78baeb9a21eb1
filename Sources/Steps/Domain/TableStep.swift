import Foundation
import Pipeline
import Reports
import Store

/// `table`: the paper's tables in GitHub Markdown, from the store (Reports): `main.md` (methods ×
/// settings, ours beside the published numbers; a stage-2 run adds a row for its stage-1 model),
/// `ablation.md` (many / medium / few / all on
/// `ablation_dataset` / `ablation_imbalance`, default CIFAR-100-LT IF 100 as in the paper),
/// `geometry.md` (the analyse steps' geometry), `stage2.md` (runs with
/// stage 2 before and after it), and `tables.md` with all three after `note`.
/// Published under `results/tables/<step name>/`.
///
/// Inputs: `runs` (train steps) and optionally `analyses` (analyse steps): the tables show exactly
/// these, so the cache key covers everything they read.
struct TableStep: StepKind {
    let name = "table"
    /// 2: stage-2 runs also report their stage-1 model as "<method> (before stage 2)".
    let version = 2
    let resources = StepResources.light

    func validate(parameters: Parameters, inputNames: [String]) throws {
        try parameters.requireOnly(["deviations", "note", "ablation_dataset", "ablation_imbalance"])
        _ = try parameters.optional("deviations", default: [], Parameters.strings)
        _ = try parameters.optional("note", default: "", Parameters.string)
        _ = try ablationSetting(parameters)
        guard inputNames.contains("runs"), Set(inputNames).isSubset(of: ["runs", "analyses"]) else {
            throw StepInputError("'table' takes 'runs' (train steps) and optionally 'analyses' (analyse steps); found \(inputNames)")
        }
    }

    func run(_ context: StepContext) throws -> StepResult {
        let p = context.parameters
        let store = try ExperimentStore.openReadOnly(at: context.resultsDirectory.appendingPathComponent("store.sqlite"))
        let inputKeys = Set(context.inputs.values.flatMap { $0.map(\.key) })
        let tables = try ReportTables(store: store, deviations: try p.optional("deviations", default: [], Parameters.strings),
                                      steps: inputKeys)
        let note = try p.optional("note", default: "", Parameters.string)
        let parts = [("main.md", tables.mainTable()), ("ablation.md", tables.ablationTable(setting: try ablationSetting(p))),
                     ("geometry.md", tables.geometryTable()), ("stage2.md", Self.stage2Table(context.inputs["runs"] ?? []))]
        let all = (note.isEmpty ? "" : note + "\n\n") + parts.map(\.1).joined(separator: "\n")
        var publish: [String: String] = [:]
        for (file, text) in parts + [("tables.md", all)] {
            try text.write(to: context.outputDirectory.appendingPathComponent(file), atomically: true, encoding: .utf8)
            publish[file] = "tables/\(context.name)/\(file)"
        }
        context.log(tables.mainTable())
        return StepResult(metrics: [Metric("train_runs", Double(tables.train.count)),
                                    Metric("geometry_runs", Double(tables.geometry.count))], publish: publish)
    }

    /// Runs with stage 2, before and after it (from their `stage1_top1` and `top1` metrics).
    static func stage2Table(_ runs: [StepInput]) -> String {
        func value(_ run: StepInput, _ name: String) -> String {
            run.metrics.first { $0.name == name && $0.split == "test" && $0.epoch == nil && $0.classIndex == nil }
                .map { String(format: "%.2f", $0.value) } ?? "—"
        }
        let rows = runs.filter { run in run.metrics.contains { $0.name == "stage1_top1" } }.map { run in
            [run.name, value(run, "stage1_top1"), value(run, "top1"), value(run, "stage1_top1_flip"), value(run, "top1_flip")]
        }
        guard !rows.isEmpty else { return "Stage 2: no run of this pipeline has one.\n" }
        return "Stage 2 (classifier re-balancing): test top-1 (%) of the same run before and after it\n\n"
            + MarkdownTable(header: ["run", "stage 1", "after stage 2", "stage 1, flip", "after stage 2, flip"], rows: rows).rendered()
    }

    private func ablationSetting(_ p: Parameters) throws -> Setting {
        let standard = PublishedNumbers.ablationSetting
        return Setting(try p.optional("ablation_dataset", default: standard.dataset, Parameters.string),
                       try p.optional("ablation_imbalance", default: standard.imbalance, Parameters.double))
    }
}
