import Foundation
import Pipeline
import Reports
import Steps
import Store

/// Gathers a pipeline's report from the store: ledger and tables from the runs its table step
/// reads, figures from its figures step's artifacts, provenance from the run and step records.
struct ReportBuilder {
    let stored: PipelineResults
    /// Extra directory searched for figure files by name (a copied results folder).
    let figureDirectory: URL?

    /// The Markdown files the pipeline's table step writes (`claims.md`, `main.md`, …, `tables.md`),
    /// built by the same code from the same stored runs.
    func markdownFiles() throws -> [(file: String, text: String)] {
        let table = try tableContents()
        return ReportTables.document(note: table.note, files: table.files)
    }

    func report() throws -> HTMLReport {
        let table = try tableContents()
        let titles = ["main.md": "Top-1 accuracy", "ablation.md": "Ablation", "geometry.md": "Feature geometry", "stage2.md": "Stage 2"]
        let sections = table.files.filter { $0.file != "claims.md" }.map { (title: titles[$0.file] ?? $0.file, markdown: $0.text) }
        return HTMLReport(title: "Reproduction report: \(stored.graph.name) (\(stored.file))", ledger: table.ledger, tables: sections,
                          figures: try figures(), note: table.note, deviations: table.deviations, provenance: try provenance(),
                          steps: try stepRows(), dataChecksums: try dataChecksums())
    }

    /// The ledger and tables of the runs the table step reads, with its note and deviations.
    func tableContents() throws -> (ledger: ClaimLedger, files: [(file: String, text: String)], note: String, deviations: [String]) {
        let settings = try TableParameters(stored.step(kind: "table")?.parameters ?? Parameters())
        let steps = stored.evidenceSteps
        let evidence = try ClaimEvidence(store: stored.store, steps: steps)
        let ledger = ClaimLedger(evidence: evidence)
        let tables = try ReportTables(store: stored.store, deviations: settings.deviations, steps: Set(steps.keys))
        // The stage-2 table lists runs in the table step's input order (the pipeline's order).
        let order = Dictionary(stored.graph.steps.enumerated().map { ($0.element.name, $0.offset) }) { a, _ in a }
        let stage2Runs = evidence.runs.sorted { (order[$0.name] ?? .max, $0.name) < (order[$1.name] ?? .max, $1.name) }
            .map { (name: $0.name, metrics: $0.metrics) }
        return (ledger, tables.files(ledger: ledger, ablation: settings.ablation, stage2Runs: stage2Runs), settings.note,
                settings.deviations)
    }

    /// The PNGs of the pipeline's figures step: its stored artifact, its published copy, a file of
    /// the same name in `<results>/figures/` (the layout of the committed reference folders) or
    /// in `figureDirectory`.
    func figures() throws -> [HTMLReport.Figure] {
        guard let step = stored.step(kind: "figures"), let key = stored.history.steps[step.name]?.key else { return [] }
        return try stored.store.artifacts(ofStep: key).filter { $0.name.hasSuffix(".png") }.map { artifact in
            let candidates = [stored.layout.file(artifact.path)] + [artifact.publishedPath.map(stored.layout.file),
                                                                     stored.layout.root.appendingPathComponent("figures/\(artifact.name)"),
                                                                     figureDirectory?.appendingPathComponent(artifact.name)].compactMap { $0 }
            return HTMLReport.Figure(name: artifact.name, png: candidates.lazy.compactMap { try? Data(contentsOf: $0) }.first)
        }
    }

    func provenance() throws -> [(label: String, value: String)] {
        let time = ISO8601DateFormatter()
        var facts: [(label: String, value: String)] = []
        let sha = (try? Digest.sha256(file: URL(fileURLWithPath: stored.file)).sha256) ?? "unreadable"
        facts.append(("pipeline file", "\(stored.file) (SHA-256 now \(sha))"))
        if let run = stored.history.runs.last {
            facts.append(("latest run", "#\(run.id ?? 0), \(run.status.rawValue), \(time.string(from: run.startedAt)) → "
                          + "\(run.finishedAt.map { time.string(from: $0) } ?? "not finished"); pipeline SHA-256 then \(run.pipelineSHA256)"))
            facts.append(("latest run's command", run.argv))
            facts.append(("latest run's code version", run.codeVersion))
        }
        facts.append(("runs of this pipeline in the store", "\(stored.history.runs.count)"))
        facts.append(("store", "\(stored.directory)/\(stored.layout.store.lastPathComponent)"))
        facts.append(("report written", "\(time.string(from: Date())) by bce3s at code version \(CodeVersion.current(resultsDirectory: stored.layout.root))"))
        facts.append(("ledger and tables", "computed for this page from the stored train and analyse steps listed below, "
                      + "by the same code as the table step (`bce3s report`)"))
        facts.append(("machine writing the report", Self.machine()))
        facts.append(("machine that trained", "not recorded in the store; see the reference README for the runs it describes"))
        return facts
    }

    func stepRows() throws -> [HTMLReport.StepRow] {
        try stored.graph.steps.map { step in
            guard let entry = stored.history.steps[step.name], let record = try stored.store.step(key: entry.key) else {
                return HTMLReport.StepRow(name: step.name, kind: step.kind, key: nil, outcome: "no succeeded result stored",
                                          codeVersion: nil, finishedAt: nil, seconds: nil)
            }
            // A training's own time (its `seconds` metric, every resumed piece), not its last worker's.
            let training = try stored.store.metrics(ofStep: entry.key)
                .first { $0.name == TrainMetricName.seconds.rawValue && $0.epoch == nil && $0.classIndex == nil }?.value
            return HTMLReport.StepRow(name: step.name, kind: step.kind, key: entry.key, outcome: "\(entry.outcome) in run #\(entry.runID)",
                                      codeVersion: try stored.store.codeVersionThatComputed(key: entry.key),
                                      finishedAt: record.finishedAt, seconds: training ?? record.seconds)
        }
    }

    func dataChecksums() throws -> [(step: String, file: String, sha256: String)] {
        try stored.graph.steps.filter { $0.kind == "dataset" }.flatMap { step -> [(step: String, file: String, sha256: String)] in
            guard let key = stored.history.steps[step.name]?.key else { return [] }
            return try stored.store.artifacts(ofStep: key).map { (step.name, $0.name, $0.sha256) }
        }
    }

    /// "Debian GNU/Linux 12 (bookworm); AMD EPYC …; 2 logical CPUs; 24.0 GiB".
    static func machine() -> String {
        func field(_ file: String, _ prefix: String) -> String? {
            (try? String(contentsOfFile: file, encoding: .utf8))?.split(separator: "\n").first { $0.hasPrefix(prefix) }
                .map { String($0.dropFirst(prefix.count)).trimmingCharacters(in: CharacterSet(charactersIn: " \t:=\"")) }
        }
        let info = ProcessInfo.processInfo
        return [field("/etc/os-release", "PRETTY_NAME"), field("/proc/cpuinfo", "model name"),
                "\(info.activeProcessorCount) logical CPUs", String(format: "%.1f GiB", Double(info.physicalMemory) / 1_073_741_824)]
            .compactMap { $0 }.joined(separator: "; ")
    }
}
