import Foundation
import Store
import XCTest

/// `bce3s claims` and `bce3s report` on a hand-built store of the quick pipeline: the ledger as a
/// golden file, the summary line, the report's structural check, and the refusal without runs.
final class ClaimsCommandTests: CLITestCase {
    static let pipelines = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../pipelines").standardizedFileURL
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/claims-quick.golden.md")

    /// The quick pipeline's CE and BCE3S runs with their analyses (10 epochs, one seed), as a run of
    /// `quick.yaml`; and a CE run of another pipeline, which the ledger must not read.
    func buildStore() throws {
        let store = try ExperimentStore.openForWriting(at: directory.appendingPathComponent("results/store.sqlite"))
        let quick = try store.beginRun(RunRecord(pipeline: "pipelines/quick.yaml", pipelineSHA256: "q", argv: "bce3s run pipelines/quick.yaml",
                                                 startedAt: Date(timeIntervalSince1970: 0), status: .running, codeVersion: "golden"))
        let other = try store.beginRun(RunRecord(pipeline: "pipelines/other.yaml", pipelineSHA256: "o", argv: "bce3s run pipelines/other.yaml",
                                                 startedAt: Date(timeIntervalSince1970: 10), status: .running, codeVersion: "golden"))
        let common = #""dataset":"cifar10","imbalance":100,"policy":"ldam","recipe":"ldam","model":"resnet32","epochs":10,"seed":0"#
        func ingest(_ run: Int64, _ name: String, _ key: String, _ kind: String, _ params: String, _ metrics: [String: Double],
                    model: String? = nil) throws {
            let step = StepRecord(key: key, kind: kind, name: name, paramsJSON: "{\(params)}", version: 2, status: .succeeded, outputDigest: "d",
                                  startedAt: Date(timeIntervalSince1970: 0), finishedAt: Date(timeIntervalSince1970: 60), seconds: 60, error: nil)
            let inputs = model.map { [StepInputRecord(stepKey: key, inputName: "model", position: 0, inputKey: $0, inputStep: "train", digest: "d")] } ?? []
            try store.ingest(StepIngest(step: step, inputs: inputs, artifacts: [],
                                        metrics: metrics.sorted { $0.key < $1.key }.map { MetricRecord(stepKey: key, name: $0.key, value: $0.value, split: "test") }),
                             runStep: RunStepRecord(runID: run, name: name, stepKey: key, outcome: .ran, reason: "new"))
        }
        let ce = String(repeating: "c", count: 64), bce = String(repeating: "b", count: 64)
        try ingest(quick, "train-ce", ce, "train", common + #","method":"ce""#, ["top1": 35.64, "many": 44.55, "medium": 0, "top1_flip": 36.06, "seconds": 3108.6])
        try ingest(quick, "train-bce3s+stage2", bce, "train", common + #","method":"bce3s+stage2","stage2_epochs":3"#,
                   ["top1": 33.73, "many": 42.16, "medium": 0, "stage1_top1": 33.18, "top1_flip": 34.17, "stage1_top1_flip": 33.52])
        try ingest(quick, "analyse-ce", String(repeating: "1", count: 64), "analyse", common + #","method":"ce""#,
                   ["compactness_mean": 87.2, "separability_max_cos": 0.61], model: ce)
        try ingest(quick, "analyse-bce3s+stage2", String(repeating: "2", count: 64), "analyse", common + #","method":"bce3s+stage2""#,
                   ["compactness_mean": 91.9, "separability_max_cos": 0.55], model: bce)
        try ingest(other, "train-ce", String(repeating: "9", count: 64), "train", common + #","method":"ce""#, ["top1": 99])
        try store.finishRun(quick, status: .succeeded)
        try store.finishRun(other, status: .succeeded)
    }

    func testClaimsPrintsTheLedgerOfThePipelinesOwnRuns() throws {
        try buildStore()
        let quick = Self.pipelines.appendingPathComponent("quick.yaml").path
        let output = try bce3s("claims", quick)
        XCTAssertEqual(output.status, 0, output.stderr)
        if ProcessInfo.processInfo.environment["BCE3S_UPDATE_GOLDEN"] == "1" {
            try output.stdout.write(to: Self.golden, atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(output.stdout, try String(contentsOf: Self.golden, encoding: .utf8),
                       "rerun with BCE3S_UPDATE_GOLDEN=1 to accept a deliberate change, then review the diff")
        XCTAssertFalse(output.stdout.contains("9999999999"), "a run of another pipeline is not read")

        let summary = try bce3s("claims", quick, "--summary")
        XCTAssertEqual(summary.stdout, "claims: 8 indicative (3 for, 4 against, 1 on the boundary), 16 not run; no report yet "
                           + "(`bce3s report` writes it)\n", "no table step has published claims.md here, no report")
        XCTAssertEqual(try bce3s("query", "SELECT count(*) AS n FROM step").stdout, "n\n-\n5\n", "claims wrote nothing")
    }

    func testReportIsWrittenAndPassesTheStructuralCheck() throws {
        try buildStore()
        let output = try bce3s("report", Self.pipelines.appendingPathComponent("quick.yaml").path, "--check")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.hasPrefix("report: results/report/quick.html (0 figures, "), output.stdout)
        XCTAssertTrue(output.stdout.contains("check: every image is an embedded PNG that decodes, every table has a header row"))
        let html = try String(contentsOf: directory.appendingPathComponent("results/report/quick.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<code>cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc</code>"), "full cache keys")
        XCTAssertTrue(html.contains("10 epochs instead of 200"), "the table step's deviations")
        XCTAssertTrue(html.contains("<td class=\"num\">3108.6</td>"), "a training's own time, not its last worker's 60 s")
    }

    /// A figures step whose PNG is gone: `report --check` fails without replacing the page that is
    /// there; the PNG in `results/figures/` (the committed reference folders' layout) is found.
    func testACheckedReportThatFailsReplacesNothingAndFiguresAreFoundInTheResultsFiguresFolder() throws {
        try buildStore()
        let store = try ExperimentStore.openForWriting(at: directory.appendingPathComponent("results/store.sqlite"))
        let key = String(repeating: "f", count: 64)
        let run = try store.beginRun(RunRecord(pipeline: "pipelines/quick.yaml", pipelineSHA256: "q", argv: "bce3s figures pipelines/quick.yaml",
                                               startedAt: Date(timeIntervalSince1970: 20), status: .running, codeVersion: "golden"))
        try store.ingest(StepIngest(step: StepRecord(key: key, kind: "figures", name: "figures", paramsJSON: "{}", version: 3,
                                                     status: .succeeded, outputDigest: "d", startedAt: Date(timeIntervalSince1970: 20),
                                                     finishedAt: Date(timeIntervalSince1970: 21), seconds: 1, error: nil),
                                    inputs: [], artifacts: [ArtifactRecord(stepKey: key, name: "training_curves.png", path: "artifacts/\(key)/training_curves.png",
                                                                           sha256: "s", bytes: 70, publishedPath: "figures/figures/training_curves.png")],
                                    metrics: []),
                         runStep: RunStepRecord(runID: run, name: "figures", stepKey: key, outcome: .ran, reason: "new"))
        try store.finishRun(run, status: .succeeded)
        let page = directory.appendingPathComponent("results/report/quick.html")
        try FileManager.default.createDirectory(at: page.deletingLastPathComponent(), withIntermediateDirectories: true)
        try write("the page that was there\n", to: "results/report/quick.html")
        let quick = Self.pipelines.appendingPathComponent("quick.yaml").path

        let failed = try bce3s("report", quick, "--check")
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("fails the structural check, so it was not written: figure training_curves.png missing"), failed.stderr)
        XCTAssertEqual(try String(contentsOf: page, encoding: .utf8), "the page that was there\n")

        // A 1 × 1 PNG where the committed reference folders keep their figures.
        let png = try XCTUnwrap(Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("results/figures"), withIntermediateDirectories: true)
        try png.write(to: directory.appendingPathComponent("results/figures/training_curves.png"))
        let found = try bce3s("report", quick, "--check")
        XCTAssertEqual(found.status, 0, found.stderr)
        XCTAssertTrue(found.stdout.hasPrefix("report: results/report/quick.html (1 figures, "), found.stdout)
    }

    /// A report that cannot be written says which path and why, in one line, not Foundation's dump.
    func testAReportThatCannotBeWrittenNamesThePath() throws {
        try buildStore()
        try write("a file where the report folder goes\n", to: "results/report")
        let output = try bce3s("report", Self.pipelines.appendingPathComponent("quick.yaml").path)
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.hasPrefix("error: cannot write "), output.stderr)
        XCTAssertTrue(output.stderr.contains("results/report"), output.stderr)
        XCTAssertFalse(output.stderr.contains("NSCocoaErrorDomain"), output.stderr)
        XCTAssertEqual(output.stderr.split(separator: "\n").count, 1, output.stderr)
    }

    /// Option mistakes are refused before anything is written: the page stays as it was.
    func testReportOptionMistakesAreRefusedBeforeAnythingIsWritten() throws {
        try buildStore()
        let quick = Self.pipelines.appendingPathComponent("quick.yaml").path
        try write("a file, not a folder\n", to: "notes.md")
        let cases: [([String], String)] = [
            (["--markdown", "notes.md"], "--markdown notes.md: expected a folder to write the Markdown files into; it is a file"),
            (["--figures", "nowhere"], "--figures nowhere: expected a folder of figure files; there is nothing there"),
            (["--figures", "notes.md"], "--figures notes.md: expected a folder of figure files; it is a file"),
            (["--path", "--markdown", "out"], "--path only prints the report's path and writes nothing; drop --markdown or --path"),
        ]
        for (options, message) in cases {
            let output = try finish(try start(["report", quick] + options))
            XCTAssertNotEqual(output.status, 0, "\(options)")
            XCTAssertTrue(output.stderr.contains(message), "\(options): \(output.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("results/report/quick.html").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path))
    }

    func testWithoutARunOfThePipelineItSaysWhatToRun() throws {
        try buildStore()
        let output = try bce3s("claims", Self.pipelines.appendingPathComponent("smoke.yaml").path)
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("no run of smoke.yaml is recorded here; run `bce3s run "), output.stderr)
        XCTAssertTrue(output.stderr.contains("smoke.yaml` first"), "the default folder needs no --results: \(output.stderr)")
        // In another folder the command to run names it, or it would run in `results/`.
        try FileManager.default.moveItem(at: directory.appendingPathComponent("results"), to: directory.appendingPathComponent("other"))
        let elsewhere = try bce3s("claims", Self.pipelines.appendingPathComponent("smoke.yaml").path, "--results", "other")
        XCTAssertEqual(elsewhere.status, 1)
        XCTAssertTrue(elsewhere.stderr.contains("smoke.yaml --results other` first"), elsewhere.stderr)
    }
}
