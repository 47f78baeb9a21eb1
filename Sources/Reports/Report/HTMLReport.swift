import Foundation

/// The reproduction report of one pipeline as a single self-contained HTML page: the claims ledger
/// first, then the tables, the figures (PNG embedded as data URIs), the deviations from the paper
/// and the provenance (code versions, data checksums, machine, times, per-step cache keys).
/// No network, no JavaScript.
public struct HTMLReport {
    /// A figure by file name; `png` nil when its file was not found (the page says so).
    public struct Figure {
        public var name: String
        public var png: Data?
        public init(name: String, png: Data?) { (self.name, self.png) = (name, png) }
    }

    /// One step of the pipeline as the store knows it.
    public struct StepRow {
        public var name: String, kind: String, key: String?
        /// What the pipeline's latest run did with it (ran, reused, failed, …), or "not in the store".
        public var outcome: String
        public var codeVersion: String?
        public var finishedAt: Date?
        /// The step's time; for a training, its own time over every resumed piece (the `seconds` metric).
        public var seconds: Double?
        public init(name: String, kind: String, key: String?, outcome: String, codeVersion: String?, finishedAt: Date?, seconds: Double?) {
            self.name = name; self.kind = kind; self.key = key; self.outcome = outcome; self.codeVersion = codeVersion
            self.finishedAt = finishedAt; self.seconds = seconds
        }
    }

    public var title: String
    public var ledger: ClaimLedger
    /// Table title and its Markdown, in order.
    public var tables: [(title: String, markdown: String)]
    public var figures: [Figure]
    public var note: String
    public var deviations: [String]
    /// Label and value, e.g. ("pipeline file", "pipelines/quick.yaml (sha256 …)").
    public var provenance: [(label: String, value: String)]
    public var steps: [StepRow]
    /// Dataset step artifacts: step, file, SHA-256.
    public var dataChecksums: [(step: String, file: String, sha256: String)]

    public init(title: String, ledger: ClaimLedger, tables: [(title: String, markdown: String)], figures: [Figure], note: String,
                deviations: [String], provenance: [(label: String, value: String)], steps: [StepRow],
                dataChecksums: [(step: String, file: String, sha256: String)]) {
        self.title = title; self.ledger = ledger; self.tables = tables; self.figures = figures; self.note = note
        self.deviations = deviations; self.provenance = provenance; self.steps = steps; self.dataChecksums = dataChecksums
    }

    /// Deviations every pipeline shares (README "Known deviations from the paper").
    public static let standingDeviations = [
        "final-epoch model: the authors and LDAM-DRW report the best epoch on the test set; we store that only as a labelled extra",
        "geometry definitions are ours (METHOD.md §6): the paper's formulas are not public",
        "negative subsampling keeps every positive class (the authors' code keeps an arbitrary subset when more are present)",
        "the \"CE version of all three terms\" ablation (ce3s) is our reading of the paper",
    ]

    public func html() -> String {
        let e = HTMLText.escape
        var body: [String] = ["<h1>\(e(title))</h1>"]
        body.append("<p class=\"counts\">Claims: \(e(ledger.countsText)).</p>")
        if !note.isEmpty { body.append("<p class=\"note\">\(HTMLText.inline(note))</p>") }
        body.append(section("claims", "Claims ledger", ledgerHTML()))
        body.append(section("tables", "Tables", tables.map { "<h3>\(e($0.title))</h3>\n" + MarkdownHTML.render($0.markdown) }.joined(separator: "\n")))
        body.append(section("figures", "Figures", figuresHTML()))
        // A standing deviation the pipeline already lists (same words before the colon) is not repeated.
        let standing = Self.standingDeviations.filter { item in
            let topic = item.split(separator: ":").first.map(String.init) ?? item
            return !deviations.contains { $0.hasPrefix(topic) }
        }
        let deviationItems = (deviations + standing).map { "<li>\(HTMLText.inline($0))</li>" }.joined()
        body.append(section("deviations", "Deviations from the paper", "<ul>\(deviationItems)</ul>"))
        body.append(section("provenance", "Provenance", provenanceHTML()))
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title))</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    private func section(_ id: String, _ heading: String, _ content: String) -> String {
        "<section id=\"\(id)\"><h2>\(HTMLText.escape(heading))</h2>\n\(content)\n</section>"
    }

    private func ledgerHTML() -> String {
        let header = "<thead><tr>" + ClaimLedger.summaryHeader.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr></thead>"
        let rows = zip(ledger.verdicts, ledger.summaryRows).map { verdict, cells -> String in
            var css = "v-" + verdict.verdict.rawValue.replacingOccurrences(of: " ", with: "-")
            if verdict.verdict == .indicative, let leaning = verdict.leaning {
                css += " lean-" + leaning.rawValue.replacingOccurrences(of: " ", with: "-")
            }
            return "<tr>" + cells.enumerated().map { index, text in
                let classes = index == 3 ? " class=\"verdict \(css)\"" : index >= 4 ? " class=\"num\"" : ""
                return "<td\(classes)>\(HTMLText.escape(text))</td>"
            }.joined() + "</tr>"
        }
        let evidence = ledger.verdicts.map { "<li>\(HTMLText.inline(ledger.evidenceLine($0)))</li>" }.joined(separator: "\n")
        return "<p>\(HTMLText.inline(ClaimLedger.rule))</p>\n<table class=\"ledger\">\(header)<tbody>\(rows.joined())</tbody></table>\n"
            + "<h3>Evidence</h3>\n<ol class=\"evidence\">\n\(evidence)\n</ol>"
    }

    private func figuresHTML() -> String {
        guard !figures.isEmpty else { return "<p>This pipeline's figures step has no stored figures.</p>" }
        return figures.map { figure in
            guard let png = figure.png else {
                return "<p class=\"missing\">Figure <code>\(HTMLText.escape(figure.name))</code>: its file was not found.</p>"
            }
            return "<figure><img src=\"data:image/png;base64,\(png.base64EncodedString())\" alt=\"\(HTMLText.escape(figure.name))\">"
                + "<figcaption>\(HTMLText.escape(figure.name))</figcaption></figure>"
        }.joined(separator: "\n")
    }

    private func provenanceHTML() -> String {
        let e = HTMLText.escape
        let facts = "<table class=\"facts\"><thead><tr><th>what</th><th>value</th></tr></thead><tbody>"
            + provenance.map { "<tr><td>\(e($0.label))</td><td>\(e($0.value))</td></tr>" }.joined() + "</tbody></table>"
        let time = ISO8601DateFormatter()
        let stepRows = steps.map { step in
            "<tr><td>\(e(step.name))</td><td>\(e(step.kind))</td><td>\(e(step.outcome))</td>"
                + "<td class=\"num\">\(step.seconds.map { String(format: "%.1f", $0) } ?? "—")</td>"
                + "<td>\(step.finishedAt.map { time.string(from: $0) } ?? "—")</td><td>\(e(step.codeVersion ?? "—"))</td>"
                + "<td><code>\(e(step.key ?? "—"))</code></td></tr>"
        }.joined()
        let stepsTable = "<h3>Steps and cache keys</h3><table class=\"steps\"><thead><tr><th>step</th><th>kind</th><th>latest run</th>"
            + "<th>seconds (a training: all its epochs)</th><th>finished (UTC)</th><th>code that computed it</th><th>cache key</th></tr></thead><tbody>"
            + stepRows + "</tbody></table>"
        let checksums = dataChecksums.isEmpty ? "<p>No dataset step in the store.</p>"
            : "<table class=\"checksums\"><thead><tr><th>step</th><th>file</th><th>SHA-256</th></tr></thead><tbody>"
                + dataChecksums.map { "<tr><td>\(e($0.step))</td><td>\(e($0.file))</td><td><code>\(e($0.sha256))</code></td></tr>" }.joined()
                + "</tbody></table>"
        return facts + "\n" + stepsTable + "\n<h3>Data checksums</h3>" + checksums
    }

    static let style = """
        body{font:15px/1.45 -apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#1b1b1b}
        h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
        table{border-collapse:collapse;margin:.6em 0 1em;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;text-align:left}
        th{background:#f0f0f0}td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
        td.verdict{font-weight:600;white-space:nowrap}.v-supported{background:#d8f0d8}.v-contradicted{background:#f6d4d4}
        .v-inconclusive{background:#fff1c7}.v-indicative{background:#e3ecfa}.v-indicative.lean-against{background:#f8e8e2}.v-not-run{background:#eee;color:#555}
        code{font-size:.85em;word-break:break-all}ol.evidence li{margin:.3em 0}.counts{font-size:1.1em}.note{color:#444}
        figure{margin:1em 0}figure img{display:block;max-width:min(100%,960px);border:1px solid #ddd}
        figcaption{font-size:.85em;color:#555}.missing{color:#a00}table.steps td:last-child{max-width:28em}
        """
}
