import Foundation
import XCTest
@testable import Reports
import Store

/// Builds a temporary store with train and analyse steps and checks the rendered tables.
final class ReportTablesTests: XCTestCase {
    var directory: URL!
    var store: ExperimentStore!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try ExperimentStore.openForWriting(at: directory.appendingPathComponent("store.sqlite"))
        let runID = try store.beginRun(RunRecord(pipeline: "p.yaml", pipelineSHA256: "abc", argv: "bce3s run p.yaml",
                                                 startedAt: Date(), status: .running, codeVersion: "test"))
        // method, dataset, IF, seed, top1, many, medium, few
        let runs: [(String, String, Int, Int, Double, Double, Double, Double)] = [
            ("ce", "cifar10", 100, 0, 70.0, 90, 70, 50), ("ce", "cifar10", 100, 1, 71.0, 91, 71, 51),
            ("bce3s", "cifar10", 100, 0, 89.0, 95, 88, 84), ("bce3s", "cifar10", 100, 1, 90.0, 96, 89, 85),
            ("bce3s", "cifar100", 100, 0, 55.0, 80, 56, 24),
            ("bce_joint", "cifar100", 100, 0, 52.0, 81, 54, 17.5),
        ]
        for (index, run) in runs.enumerated() {
            let key = "train\(index)"
            let params = #"{"dataset":"\#(run.1)","imbalance":\#(run.2),"method":"\#(run.0)","seed":\#(run.3),"#
                + #""epochs":200,"model":"resnet32","policy":"ldam","recipe":"ldam"}"#
            try ingest(key, kind: "train", params: params, metrics: [("top1", run.4), ("many", run.5), ("medium", run.6), ("few", run.7)], runID: runID)
        }
        let geometry: [(String, Int, Double, Double)] = [("ce", 0, 80, 6), ("ce", 1, 82, 5), ("bce3s", 0, 95, 2)]
        for (index, g) in geometry.enumerated() {
            let params = #"{"dataset":"cifar10","imbalance":100,"method":"\#(g.0)","seed":\#(g.1)}"#
            try ingest("geo\(index)", kind: "analyse", params: params, metrics: [
                ("compactness_mean", g.2), ("compactness_std", g.3), ("separability_mean_cos", -0.1), ("separability_max_cos", 0.4),
                ("fisher_ratio", 3.5), ("nc1", 0.25), ("classifier_max_cos_std_few", 0.12)], runID: runID)
        }
    }

    override func tearDownWithError() throws {
        store = nil
        try? FileManager.default.removeItem(at: directory)
    }

    func ingest(_ key: String, kind: String, params: String, metrics: [(String, Double)], runID: Int64) throws {
        let step = StepRecord(key: key, kind: kind, name: key, paramsJSON: params, version: 1, status: .succeeded,
                              outputDigest: "d", startedAt: Date(timeIntervalSince1970: 0), finishedAt: Date(timeIntervalSince1970: 1),
                              seconds: 1, error: nil)
        try store.ingest(StepIngest(step: step, inputs: [], artifacts: [],
                                    metrics: metrics.map { MetricRecord(stepKey: key, name: $0.0, value: $0.1, split: "test") }),
                         runStep: RunStepRecord(runID: runID, name: key, stepKey: key, outcome: .ran, reason: "new"))
    }

    func testMainTableMatchesFixture() throws {
        let tables = try ReportTables(store: store, deviations: ["ResNet-32 instead of ResNet-34 for BCE3S"])
        XCTAssertEqual(tables.mainTable(), """
            Top-1 accuracy (%): ours, mean ± std over seeds (published, ours − published)

            | method    |          CIFAR-10-LT IF 100 |  CIFAR-100-LT IF 100 |
            |:----------|----------------------------:|---------------------:|
            | ce        | 70.50 ± 0.71 (70.36, +0.14) |            — (38.32) |
            | bce_joint |                           — |                52.00 |
            | bce3s     | 89.50 ± 0.71 (90.08, −0.58) | 55.00 (59.50, −4.50) |

            Notes:

            1. recipe: ldam; model: resnet32; epochs: 200; subset policy: ldam
            2. seeds per cell: 1–2; final-epoch model; std is the sample std over seeds
            3. published: bce3s: BCE3S paper (AAAI 2026), via a published summary; ce: BagofTricks-LT gallery, ResNet-32
            4. deviation: ResNet-32 instead of ResNet-34 for BCE3S

            """)
    }

    func testAblationTableMatchesFixture() throws {
        let tables = try ReportTables(store: store)
        XCTAssertEqual(tables.ablationTable(), """
            Ablation, CIFAR-100-LT IF 100: top-1 (%) by shot group, ours (published, ours − published)

            | method    |                 many |               medium |                  few |                  all |
            |:----------|---------------------:|---------------------:|---------------------:|---------------------:|
            | bce_joint | 81.00 (81.11, −0.11) | 54.00 (55.06, −1.06) | 17.50 (17.40, +0.10) | 52.00 (52.88, −0.88) |
            | bce3s     | 80.00 (83.34, −3.34) | 56.00 (57.09, −1.09) | 24.00 (22.80, +1.20) | 55.00 (55.99, −0.99) |

            Notes:

            1. recipe: ldam; model: resnet32; epochs: 200; subset policy: ldam
            2. seeds per cell: 1–2; final-epoch model; std is the sample std over seeds
            3. published: BCE3S paper (AAAI 2026), via a published summary, ablation table
            4. deviations from the paper: none recorded

            """)
    }

    func testGeometryTableAveragesSeedsAndQuotesThePaperInANote() throws {
        let table = try ReportTables(store: store).geometryTable()
        let rows = table.split(separator: "\n").filter { $0.hasPrefix("| CIFAR") }
            .map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
        XCTAssertEqual(rows, [["CIFAR-10-LT IF 100", "ce", "81.0 ± 5.5", "-0.100", "0.400", "3.50", "0.250", "0.120"],
                              ["CIFAR-10-LT IF 100", "bce3s", "95.0 ± 2.0", "-0.100", "0.400", "3.50", "0.250", "0.120"]], table)
        XCTAssertTrue(table.contains(PublishedNumbers.geometryNote), table)
    }

    /// Tables round the decimal value half away from zero, as a reader and SQLite's `round` do:
    /// 6174/8000 = 77.175 (stored as 77.17499999999999) is 77.18, not `%.2f`'s 77.17.
    func testNumbersRoundHalfAwayFromZeroInDecimal() {
        let many = 100 * 6174.0 / 8000
        XCTAssertEqual(String(format: "%.2f", many), "77.17", "the binary value is below the half")
        XCTAssertEqual(DecimalText.fixed(many, 2), "77.18")
        XCTAssertEqual(DecimalText.fixed(85.80 - many, 2), "8.63", "C17's effect, 8.625")
        XCTAssertEqual(DecimalText.fixed(-2.675, 2), "-2.68")
        XCTAssertEqual(DecimalText.fixed(70.504, 2), "70.50")
        XCTAssertEqual(DecimalText.fixed(0.1045, 3), "0.105")
        XCTAssertEqual(DecimalText.fixed(-0.004, 2), "0.00", "never -0.00")
        XCTAssertEqual(DecimalText.fixed(95, 1), "95.0")
        let table = ReportTables(train: [TrainResult(setting: Setting("cifar10", 100), method: "ce", seed: 0, top1: many, epochs: 200)]).mainTable()
        XCTAssertTrue(table.contains("| 77.18 (70.36, +6.82) |"), table)
    }

    /// A published number beside runs of a shortened schedule (10 of the protocol's 200 epochs)
    /// is marked, and a note says the difference is the schedule's; full-length cells are not.
    func testPublishedNumbersBesideShortenedRunsAreMarked() {
        let short = TrainResult(setting: Setting("cifar10", 100), method: "ce", seed: 0, top1: 35.64, epochs: 10)
        let full = TrainResult(setting: Setting("cifar10", 100), method: "ce", seed: 0, top1: 70.03, epochs: 200)
        let shortTable = ReportTables(train: [short]).mainTable()
        XCTAssertTrue(shortTable.contains("| 35.64 (70.36†, −34.72) |"), shortTable)
        XCTAssertTrue(shortTable.contains("†: published for the protocol's full schedule; the runs in this cell are shorter"), shortTable)
        let fullTable = ReportTables(train: [full]).mainTable()
        XCTAssertTrue(fullTable.contains("| 70.03 (70.36, −0.33) |") && !fullTable.contains("†"), fullTable)
    }

    func testMarkdownEscapesPipesAndAligns() {
        let table = MarkdownTable(header: ["a", "b"], rows: [["x|y", "1"]]).rendered()
        XCTAssertEqual(table, "| a    |   b |\n|:-----|----:|\n| x\\|y |   1 |\n")
    }

    func testAStage2RunAlsoReportsItsStageOneModel() throws {
        let runID = try store.beginRun(RunRecord(pipeline: "p.yaml", pipelineSHA256: "abc", argv: "bce3s run p.yaml",
                                                 startedAt: Date(), status: .running, codeVersion: "test"))
        let params = #"{"dataset":"cifar10","imbalance":100,"method":"bce3s+stage2","seed":0,"epochs":200,"recipe":"ldam"}"#
        try ingest("stage2", kind: "train", params: params,
                   metrics: [("top1", 91.0), ("many", 96), ("medium", 90), ("few", 87), ("stage1_top1", 88.25)], runID: runID)
        let tables = try ReportTables(store: store, steps: ["stage2", "train0"])
        XCTAssertEqual(Set(tables.train.map(\.method)), ["ce", "bce3s (before stage 2)", "bce3s+stage2"])
        XCTAssertTrue(tables.mainTable().contains("""
            | method                 |   CIFAR-10-LT IF 100 |
            |:-----------------------|---------------------:|
            | ce                     | 70.00 (70.36, −0.36) |
            | bce3s (before stage 2) |                88.25 |
            | bce3s+stage2           | 91.00 (90.08, +0.92) |
            """), tables.mainTable())
        let ablation = tables.ablationTable(setting: Setting("cifar10", 100))
        XCTAssertTrue(ablation.contains("| bce3s (before stage 2) |"), ablation)
        XCTAssertEqual(StoredResults.stageOneName("bce3s+stage2"), "bce3s (before stage 2)")
    }

    func testStage2RunsAreComparedWithThePapersBCE3S() {
        let run = TrainResult(setting: Setting("cifar10", 100), method: "bce3s+stage2", seed: 0, top1: 80)
        let table = ReportTables(train: [run]).mainTable()
        XCTAssertTrue(table.contains("| bce3s+stage2 | 80.00 (90.08, −10.08) |"), table)
    }

    func testTheNotesGiveTheSeedsPerCellAsOneNumberWhenEveryCellHasAsMany() {
        XCTAssertEqual(ReportTables.rangeText([1, 1, 1]), "1")
        XCTAssertEqual(ReportTables.rangeText([3, 1, 2]), "1–3")
        XCTAssertEqual(ReportTables.rangeText([]), "none")
        let run = TrainResult(setting: Setting("cifar10", 100), method: "ce", seed: 0, top1: 70, model: "resnet32",
                              policy: "ldam", recipe: "ldam", epochs: 200, precision: "fp32")
        let table = ReportTables(train: [run]).mainTable()
        XCTAssertTrue(table.contains("2. seeds per cell: 1; final-epoch model"), table)
    }

    func testRunsOfDifferentConditionsGetRowsOfTheirOwn() {
        let setting = Setting("cifar10", 100)
        func run(_ seed: Int, _ top1: Double, model: String = "resnet32", precision: String = "fp32") -> TrainResult {
            TrainResult(setting: setting, method: "bce3s+stage2", seed: seed, top1: top1, many: top1, medium: top1, few: nil,
                        model: model, policy: "ldam", recipe: "bce3s-paper", epochs: 200, precision: precision)
        }
        let runs = [run(0, 84), run(1, 85), run(0, 89, model: "resnet32-glmc"), run(0, 83, precision: "bf16"),
                    TrainResult(setting: setting, method: "ce", seed: 0, top1: 70, model: "resnet32", policy: "ldam", recipe: "ldam",
                                epochs: 200, precision: "fp32")]
        let squeeze = { (text: String) in text.replacingOccurrences(of: " +", with: " ", options: .regularExpression) }
        let table = squeeze(ReportTables(train: runs).mainTable())
        XCTAssertTrue(table.contains("| ce | 70.00 (70.36, −0.36) |"), table)
        XCTAssertTrue(table.contains("| bce3s+stage2 · resnet32, fp32 | 84.50 ± 0.71 (90.08, −5.58) |"), table)
        XCTAssertTrue(table.contains("| bce3s+stage2 · resnet32-glmc, fp32 | 89.00 (90.08, −1.08) |"), table)
        XCTAssertTrue(table.contains("| bce3s+stage2 · resnet32, bf16 | 83.00 (90.08, −7.08) |"), table)
        XCTAssertFalse(table.contains("| ce ·"), "a method with one condition keeps its plain name")
        XCTAssertTrue(table.contains("seeds per cell: 1–2"), table)
        let ablation = squeeze(ReportTables(train: runs).ablationTable(setting: setting))
        XCTAssertTrue(ablation.contains("| bce3s+stage2 · resnet32-glmc, fp32 | 89.00 | 89.00 | — | 89.00 |"), ablation)
        XCTAssertTrue(ablation.hasPrefix("By shot group (no ablation variant among these runs), CIFAR-10-LT IF 100:"),
                      "CE and BCE3S alone are not an ablation: \(ablation)")
    }

    func testRunsWithOtherOverridesOrStageTwoLengthsGetRowsOfTheirOwn() throws {
        let fixture = try ClaimStoreFixture()
        try fixture.train("bce3s+stage2", seed: 0, metrics: ["top1": 84.7], extra: ["stage2_epochs": 10, "set_method": ["sampler_power": 0.3]])
        try fixture.train("bce3s+stage2", seed: 1, metrics: ["top1": 80.1], extra: ["stage2_epochs": 10, "set_recipe": ["eval_every": 5]])
        try fixture.train("bce3s+stage2", seed: 2, metrics: ["top1": 79.9], extra: ["stage2_epochs": 3])
        let table = try ReportTables(store: fixture.store).mainTable().replacingOccurrences(of: " +", with: " ", options: .regularExpression)
        XCTAssertTrue(table.contains("| bce3s+stage2 · stage 2: 10 epochs, sampler_power as preset | 80.10 (90.08, −9.98) |"), table)
        XCTAssertTrue(table.contains("| bce3s+stage2 · stage 2: 10 epochs, sampler_power=0.3 | 84.70 (90.08, −5.38) |"), table)
        XCTAssertTrue(table.contains("| bce3s+stage2 · stage 2: 3 epochs, sampler_power as preset | 79.90 (90.08†, −10.18) |"), table)
    }

    func testGeometryOfModelsOfDifferentConditionsGetsRowsOfItsOwn() throws {
        let fixture = try ClaimStoreFixture()
        let standard = try fixture.train("bce3s+stage2", seed: 0, metrics: ["top1": 84.7])
        let wide = try fixture.train("bce3s+stage2", seed: 0, metrics: ["top1": 89], extra: ["model": "resnet32-glmc"])
        try fixture.analysis("bce3s+stage2", seed: 0, model: standard, metrics: ["compactness_mean": 90, "nc1": 0.2])
        try fixture.analysis("bce3s+stage2", seed: 0, model: wide, metrics: ["compactness_mean": 96, "nc1": 0.1])
        let geometry = try StoredResults.geometryResults(in: fixture.store)
        XCTAssertEqual(geometry.map { $0.conditionParts[3] }, ["resnet32", "resnet32-glmc"], "each analysis has its model's condition")
        let table = try ReportTables(store: fixture.store).geometryTable()
            .replacingOccurrences(of: " +", with: " ", options: .regularExpression)
        XCTAssertTrue(table.contains("| CIFAR-10-LT IF 100 | bce3s+stage2 · resnet32 | 90.0 ± — |"), table)
        XCTAssertTrue(table.contains("| CIFAR-10-LT IF 100 | bce3s+stage2 · resnet32-glmc | 96.0 ± — |"), table)
    }
}
