import Foundation
import XCTest
import Plotting

/// `pipelines/smoke.yaml` end to end through the built binary, on generated data: every stage
/// runs, a rerun is fully cached, `bce3s figures` and `bce3s table` redraw from the store
/// without training, `bce3s query` returns the runs; figures decode as PNG with provenance.
final class SmokePipelineTests: CLITestCase {
    static let pipeline = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../pipelines/smoke.yaml").standardizedFileURL.path

    func testSmokePipelineRunsCachesRegeneratesAndQueries() throws {
        XCTAssertEqual(try bce3s("data", "synth", "--dataset", "cifar10", "--out", "data", "--per-class", "20",
                                 "--test-per-class", "4", "--seed", "0").status, 0)
        let run = try bce3s("run", Self.pipeline, "--data-dir", "data")
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("7 ran, 0 reused, 0 failed"), run.stdout)

        let rerun = try bce3s("run", Self.pipeline, "--data-dir", "data")
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertTrue(rerun.stdout.contains("0 ran, 7 reused"), rerun.stdout)

        // Issue 16: a bit-identical retraining reruns, and everything downstream stays cached —
        // timings and machine paths are not part of what is digested.
        let digestBefore = try rows("SELECT output_digest FROM step WHERE name = 'train-ce'").first?["output_digest"] as? String
        let retrain = try bce3s("run", Self.pipeline, "--data-dir", "data", "--force", "train-ce")
        XCTAssertEqual(retrain.status, 0, retrain.stdout + retrain.stderr)
        XCTAssertTrue(retrain.stdout.contains("ran     train-ce"), retrain.stdout)
        XCTAssertTrue(retrain.stdout.contains("1 ran, 6 reused"), retrain.stdout)
        XCTAssertEqual(try rows("SELECT output_digest FROM step WHERE name = 'train-ce'").first?["output_digest"] as? String,
                       digestBefore)
        let resultPath = try XCTUnwrap(rows("SELECT a.path FROM artifact a JOIN step s ON s.key = a.step_key "
                                            + "WHERE s.name = 'train-ce' AND a.name = 'result.json'").first?["path"] as? String)
        let result = try String(contentsOf: directory.appendingPathComponent("results/" + resultPath), encoding: .utf8)
        XCTAssertFalse(result.contains("seconds") || result.contains(directory.path), result)
        XCTAssertTrue(result.contains("\"checkpoint\" : \"model.safetensors\""), result)
        XCTAssertFalse(try rows("SELECT value FROM step_metric WHERE step = 'train-ce' AND metric = 'epoch_seconds'").isEmpty,
                       "timings stay in the store")

        let results = try rows("SELECT method, dataset, imbalance, epochs, top1, many, seconds FROM train_result ORDER BY method")
        XCTAssertEqual(results.map { $0["method"] as? String }, ["bce3s+stage2", "ce"])
        for row in results {
            let top1 = try XCTUnwrap(row["top1"] as? Double)
            XCTAssertTrue((0...100).contains(top1), "\(row)")
            XCTAssertGreaterThan(row["seconds"] as? Double ?? 0, 0)
        }
        let curves = try rows("SELECT step, epoch, value FROM step_metric WHERE metric = 'loss' AND epoch IS NOT NULL")
        XCTAssertEqual(curves.count, 2 + 3, "2 epochs of ce, 2 + 1 of bce3s with stage 2")
        XCTAssertFalse(try rows("SELECT value FROM step_metric WHERE kind = 'analyse' AND metric = 'compactness_mean'").isEmpty)

        let figures = directory.appendingPathComponent("results/figures/figures")
        try FileManager.default.removeItem(at: figures)
        let redraw = try bce3s("figures", Self.pipeline, "--data-dir", "data")
        XCTAssertEqual(redraw.status, 0, redraw.stdout + redraw.stderr)
        XCTAssertFalse(redraw.stdout.contains("ran     train"), redraw.stdout)
        XCTAssertEqual(redraw.stdout.split(separator: "\n").filter { $0.hasPrefix("published  ") }.count, 5,
                       "one line per figure file:\n" + redraw.stdout)
        let names = try FileManager.default.contentsOfDirectory(atPath: figures.path).sorted()
        XCTAssertEqual(names, ["classifier_norms.png", "per_class_accuracy.png", "training_curves.png",
                               "tsne_analyse-bce3s+stage2.png", "tsne_analyse-ce.png"])
        for name in names { try assertPNG(figures.appendingPathComponent(name)) }

        let table = try bce3s("table", Self.pipeline, "--data-dir", "data", "--force")
        XCTAssertEqual(table.status, 0, table.stdout + table.stderr)
        XCTAssertTrue(table.stdout.contains("ran     table"), table.stdout)
        XCTAssertTrue(table.stdout.contains("\npublished  \(directory.appendingPathComponent("results/tables/table/main.md").path)\n"),
                      "the command says where the tables went:\n" + table.stdout)
        let main = try String(contentsOf: directory.appendingPathComponent("results/tables/table/main.md"), encoding: .utf8)
        XCTAssertTrue(main.contains("| bce3s+stage2 ") && main.contains("| bce3s (before stage 2) |") && main.contains("| ce "), main)
        let stage2 = try String(contentsOf: directory.appendingPathComponent("results/tables/table/stage2.md"), encoding: .utf8)
        XCTAssertTrue(stage2.contains("train-bce3s+stage2"), stage2)
        try checkLedgerAndReport()
        try checkRedrawingNeedsEveryInputHere()
    }

    /// Without a training's weights (a folder that holds only the store) `table` and `figures`
    /// refuse before writing anything, naming the step; without a store they say so.
    private func checkRedrawingNeedsEveryInputHere() throws {
        let runs = try rows("SELECT count(*) AS n FROM run").first?["n"] as? Int64
        let weights = try XCTUnwrap(rows("SELECT a.path FROM artifact a JOIN step s ON s.key = a.step_key "
                                         + "WHERE s.name = 'train-ce' AND a.name = 'model.safetensors'").first?["path"] as? String)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("results/" + weights))
        let otherData = try bce3s("figures", Self.pipeline, "--force")   // the default data folder, not the run's
        XCTAssertEqual(otherData.status, 1)
        XCTAssertTrue(otherData.stderr.contains("data is not cached in ") && otherData.stderr.contains("give the --data-dir the run used"),
                      otherData.stderr)
        let refused = try bce3s("table", Self.pipeline, "--data-dir", "data", "--force")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("error: train-ce is not cached in ") && refused.stderr.contains("so nothing can be redrawn"),
                      refused.stderr)
        // The data step's own files gone (a committed folder holds the store alone): not blamed on --data-dir.
        let indices = try XCTUnwrap(rows("SELECT a.path FROM artifact a JOIN step s ON s.key = a.step_key "
                                         + "WHERE s.name = 'data' LIMIT 1").first?["path"] as? String)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("results/" + indices))
        let storeOnly = try bce3s("table", Self.pipeline, "--data-dir", "data")
        XCTAssertEqual(storeOnly.status, 1)
        XCTAssertTrue(storeOnly.stderr.contains("error: data is not cached in ") && storeOnly.stderr.contains("--markdown DIR` writes the tables")
                      && !storeOnly.stderr.contains("give the --data-dir"), storeOnly.stderr)
        XCTAssertEqual(try rows("SELECT count(*) AS n FROM run").first?["n"] as? Int64, runs, "no run recorded")
        let nowhere = try bce3s("figures", Self.pipeline, "--data-dir", "data", "--results", "elsewhere")
        XCTAssertEqual(nowhere.status, 1)
        XCTAssertTrue(nowhere.stderr.contains("elsewhere/store.sqlite: no store yet"), nowhere.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("elsewhere").path))
    }

    /// The table step's ledger and tables equal what `bce3s claims` and `bce3s report --markdown`
    /// build from the store alone; `claim_result` shows the table step's verdicts; the report embeds
    /// every figure and passes the structural check.
    private func checkLedgerAndReport() throws {
        let tables = directory.appendingPathComponent("results/tables/table")
        let ledger = try String(contentsOf: tables.appendingPathComponent("claims.md"), encoding: .utf8)
        let claims = try bce3s("claims", Self.pipeline)
        XCTAssertEqual(claims.status, 0, claims.stderr)
        XCTAssertTrue(claims.stdout.hasPrefix(ledger), "bce3s claims prints the table step's claims.md\n" + claims.stdout)
        XCTAssertTrue(try bce3s("claims", Self.pipeline, "--summary").stdout
            .hasSuffix("; ledger: results/tables/table/claims.md; no report yet (`bce3s report` writes it)\n"))
        // Another pipeline's table step of the same name publishes to the same path: not named as this one's.
        try "another pipeline's ledger".write(to: tables.appendingPathComponent("claims.md"), atomically: true, encoding: .utf8)
        XCTAssertFalse(try bce3s("claims", Self.pipeline, "--summary").stdout.contains("ledger:"))
        // The committed reference folders keep it as results/tables/claims.md: found there by its content.
        try ledger.write(to: directory.appendingPathComponent("results/tables/claims.md"), atomically: true, encoding: .utf8)
        XCTAssertTrue(try bce3s("claims", Self.pipeline, "--summary").stdout.contains("; ledger: results/tables/claims.md;"))
        try FileManager.default.removeItem(at: directory.appendingPathComponent("results/tables/claims.md"))
        try ledger.write(to: tables.appendingPathComponent("claims.md"), atomically: true, encoding: .utf8)
        let verdicts = try rows("SELECT claim, setting, verdict, epochs, recipe, precision, steps_a FROM claim_result")
        XCTAssertEqual(verdicts.first?["claim"] as? String, "C1")
        XCTAssertEqual(verdicts.first?["verdict"] as? String, "indicative")
        XCTAssertEqual(verdicts.first?["steps_a"] as? String, "train-bce3s+stage2")
        XCTAssertEqual(verdicts.first?["precision"] as? String, "fp32")
        XCTAssertEqual(claims.stdout.split(separator: "\n").filter { $0.hasPrefix("| C") || $0.hasPrefix("| B") || $0.hasPrefix("| L") }.count,
                       verdicts.count, "one view row per ledger line")

        let report = try bce3s("report", Self.pipeline, "--check", "--markdown", "rebuilt")
        XCTAssertEqual(report.status, 0, report.stdout + report.stderr)
        XCTAssertTrue(report.stdout.contains("report: results/report/smoke.html (5 figures, "), report.stdout)
        XCTAssertTrue(try bce3s("claims", Self.pipeline, "--summary").stdout.hasSuffix("; report: results/report/smoke.html\n"),
                      "once written, the report is named")
        for file in ["claims.md", "main.md", "ablation.md", "geometry.md", "stage2.md", "tables.md"] {
            XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("rebuilt/\(file)"), encoding: .utf8),
                           try String(contentsOf: tables.appendingPathComponent(file), encoding: .utf8), file)
        }
    }

    /// Decodes the PNG with libpng (Plotting) and checks its size and provenance chunks.
    private func assertPNG(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let png = try PNGFile.read(url)
        XCTAssertGreaterThan(png.width * png.height, 100_000, url.lastPathComponent, file: file, line: line)
        XCTAssertEqual(png.rgba.count, png.width * png.height * 4, file: file, line: line)
        XCTAssertNotNil(png.text("step_key"), url.lastPathComponent, file: file, line: line)
        XCTAssertTrue(png.text("pipeline")?.hasSuffix("smoke.yaml") ?? false, "\(png.texts)", file: file, line: line)
        let sampled = Set(stride(from: 0, to: png.rgba.count, by: 4 * 97).map { png.rgba[$0] })
        XCTAssertGreaterThan(sampled.count, 1, "\(url.lastPathComponent) is blank", file: file, line: line)
    }
}
