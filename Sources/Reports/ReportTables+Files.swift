import Foundation
import Store

extension ReportTables {
    /// The Markdown files of a table step, in the order `tables.md` joins them (the report shows the
    /// same): `claims.md`, `main.md`, `ablation.md` (in `ablation`), `geometry.md`, `stage2.md`.
    public func files(ledger: ClaimLedger, ablation: Setting,
                      stage2Runs: [(name: String, metrics: [String: Double])]) -> [(file: String, text: String)] {
        [("claims.md", ledger.markdown()), ("main.md", mainTable()), ("ablation.md", ablationTable(setting: ablation)),
         ("geometry.md", geometryTable()), ("stage2.md", Self.stage2Table(stage2Runs))]
    }

    /// `tables.md`: the note, then every file in order.
    public static func document(note: String, files: [(file: String, text: String)]) -> [(file: String, text: String)] {
        files + [("tables.md", (note.isEmpty ? "" : note + "\n\n") + files.map(\.text).joined(separator: "\n"))]
    }

    /// Runs with stage 2, before and after it (their `stage1_top1` and `top1` test metrics, plain and
    /// flipped), in the order given. `runs`: step name and final test metrics.
    public static func stage2Table(_ runs: [(name: String, metrics: [String: Double])]) -> String {
        func value(_ metrics: [String: Double], _ name: TrainMetricName) -> String {
            metrics[name.rawValue].map { DecimalText.fixed($0, 2) } ?? "—"
        }
        let rows = runs.filter { $0.metrics[TrainMetricName.stage1Top1.rawValue] != nil }.map { run in
            [run.name, value(run.metrics, .stage1Top1), value(run.metrics, .top1), value(run.metrics, .stage1Top1Flip),
             value(run.metrics, .top1Flip)]
        }
        guard !rows.isEmpty else { return "Stage 2: no run of this pipeline has one.\n" }
        return "Stage 2 (classifier re-balancing): test top-1 (%) of the same run before and after it\n\n"
            + MarkdownTable(header: ["run", "stage 1", "after stage 2", "stage 1, flip", "after stage 2, flip"], rows: rows).rendered()
    }
}
