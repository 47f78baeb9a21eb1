import Foundation
import XCTest
@testable import Reports

/// The report page: ledger first, every image an embedded PNG that decodes, every table with a
/// header row, and the structural check catching each kind of breakage.
final class HTMLReportTests: XCTestCase {
    /// A 1×1 PNG (`python3 -c "import base64, zlib, struct; …"`, checked with `file`).
    static let pixel = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!

    func report(figures: [HTMLReport.Figure] = [HTMLReport.Figure(name: "curves.png", png: pixel)]) throws -> HTMLReport {
        let fixture = try ClaimStoreFixture()
        try fixture.train("bce3s+stage2", seed: 0, metrics: ["top1": 33.7, "stage1_top1": 33.2], epochs: 10)
        try fixture.train("ce", seed: 0, metrics: ["top1": 35.6], epochs: 10)
        let tables = try ReportTables(store: fixture.store)
        return HTMLReport(title: "Reproduction report: quick <test>", ledger: try fixture.ledger(),
                          tables: [("Top-1 accuracy", tables.mainTable()), ("Ablation", tables.ablationTable())],
                          figures: figures, note: "A **quick** run.", deviations: ["10 epochs instead of 200"],
                          provenance: [("code version", "abc123")],
                          steps: [HTMLReport.StepRow(name: "train-ce", kind: "train", key: "k1", outcome: "ran in run #1",
                                                     codeVersion: "abc123", finishedAt: Date(timeIntervalSince1970: 0), seconds: 2)],
                          dataChecksums: [("data", "indices.npy", "ff00")])
    }

    func testTheReportIsSelfContainedWithTheLedgerFirst() throws {
        let html = try report().html()
        XCTAssertEqual(HTMLStructureCheck.problems(in: html), [])
        XCTAssertEqual(HTMLStructureCheck.counts(in: html).images, 1)
        let order = ["id=\"claims\"", "id=\"tables\"", "id=\"figures\"", "id=\"deviations\"", "id=\"provenance\""]
            .map { html.range(of: $0)?.lowerBound }
        XCTAssertFalse(order.contains(nil), "every section is present")
        XCTAssertEqual(order.map { $0! }, order.map { $0! }.sorted(), "ledger, tables, figures, deviations, provenance in that order")
        XCTAssertTrue(html.contains("<title>Reproduction report: quick &lt;test&gt;</title>"), "text is escaped")
        XCTAssertTrue(html.contains("class=\"verdict v-indicative lean-for\""), "verdicts are marked for colour, with their leaning")
        XCTAssertTrue(html.contains("class=\"verdict v-indicative lean-against\">indicative, against"), "C1: 33.7 against 35.6")
        XCTAssertTrue(html.contains("<strong>quick</strong>"), "inline Markdown becomes HTML")
        XCTAssertTrue(html.contains("<th>method</th>"), "the Markdown tables become HTML tables with a header")
        XCTAssertTrue(html.contains(HTMLReport.standingDeviations[0]))
    }

    func testTheCheckFindsABrokenImageAMissingHeaderAndScripts() throws {
        var truncated = Self.pixel
        truncated.removeLast(12)
        let html = try report(figures: [HTMLReport.Figure(name: "bad.png", png: truncated)]).html()
        XCTAssertEqual(HTMLStructureCheck.problems(in: html), ["image 1: PNG is truncated (no IEND chunk at the end)"])
        XCTAssertEqual(HTMLStructureCheck.problems(in: "<img src=\"data:image/png;base64,AAAA\">"), ["image 1: not a PNG (signature)"])
        XCTAssertEqual(HTMLStructureCheck.problems(in: "<img src=\"figure.png\">"), ["image 1 is not an embedded base64 PNG"])
        XCTAssertEqual(HTMLStructureCheck.problems(in: "<table><tr><td>1</td></tr></table>"), ["table 1 has no header row"])
        XCTAssertEqual(HTMLStructureCheck.problems(in: "<p>x</p><script>alert(1)</script>"), ["the page uses <script>"])
        XCTAssertEqual(HTMLStructureCheck.problems(in: "<link href=\"https://cdn.example/x.css\">").count, 1)
    }

    func testAMissingFigureIsNamedNotDrawn() throws {
        let html = try report(figures: [HTMLReport.Figure(name: "tsne.png", png: nil)]).html()
        XCTAssertEqual(HTMLStructureCheck.counts(in: html).images, 0)
        XCTAssertTrue(html.contains("Figure <code>tsne.png</code>: its file was not found."))
    }

    func testMarkdownTablesListsAndParagraphs() {
        let html = MarkdownHTML.render("Title line\n\n| a | b |\n|:--|--:|\n| x\\|y | 1 |\n\n1. first `c`\n2. second\n")
        XCTAssertEqual(html, """
            <p>Title line</p>
            <table><thead><tr><th>a</th><th class="num">b</th></tr></thead><tbody><tr><td>x|y</td><td class="num">1</td></tr></tbody></table>
            <ol><li>first <code>c</code></li><li>second</li></ol>
            """)
    }
}
