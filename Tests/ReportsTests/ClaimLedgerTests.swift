import XCTest
@testable import Reports
import Store

/// Verdicts from hand-built stores: each rule of the ledger once.
final class ClaimLedgerTests: XCTestCase {
    var fixture: ClaimStoreFixture!

    override func setUpWithError() throws { fixture = try ClaimStoreFixture() }
    override func tearDown() { fixture = nil }

    func claims(_ ids: String...) -> [Claim] { ClaimCatalog.claims.filter { ids.contains($0.id) } }

    func verdicts(_ ids: String...) throws -> [ClaimVerdict] {
        try fixture.ledger(ClaimCatalog.claims.filter { ids.contains($0.id) }).verdicts
    }

    func addRuns(_ method: String, top1: [Double], epochs: Int = 200, extra: [String: Any] = [:]) throws {
        for (seed, value) in top1.enumerated() {
            try fixture.train(method, seed: seed, metrics: ["top1": value, "many": value + 10, "medium": value - 10], epochs: epochs, extra: extra)
        }
    }

    func testTwoSeedsPerSideAndAClearGapIsSupported() throws {
        try addRuns("bce3s+stage2", top1: [89, 90, 90.6])
        try addRuns("ce", top1: [70, 71, 70.2])
        let verdict = try XCTUnwrap(try verdicts("C1").first)
        XCTAssertEqual(verdict.verdict, .supported)
        XCTAssertEqual(verdict.setting, Setting("cifar10", 100))
        XCTAssertEqual(verdict.effect!, 19.4667, accuracy: 1e-4)
        XCTAssertEqual(verdict.interval!.low, 17.815250105185044, accuracy: 1e-8)
        XCTAssertEqual(verdict.runsA.map(\.name), ["train-bce3s+stage2-0", "train-bce3s+stage2-1", "train-bce3s+stage2-2"])
        XCTAssertFalse(verdict.shortened)
        let line = try fixture.ledger(claims("C1")).evidenceLine(verdict)
        XCTAssertTrue(line.contains("train-ce-0 [train0004000"), line)
        XCTAssertTrue(line.contains("Setting: 200 epochs; recipe ldam; resnet32; ldam subset; fp32"), line)
    }

    func testAGapTheOtherWayIsContradicted() throws {
        try addRuns("bce3s+stage2", top1: [60, 61, 60.5])
        try addRuns("ce", top1: [70, 71, 70.2])
        XCTAssertEqual(try verdicts("C1").map(\.verdict), [.contradicted])
    }

    func testOverlappingSeedsAreInconclusive() throws {
        try addRuns("bce3s+stage2", top1: [70, 72, 69])
        try addRuns("ce", top1: [70.5, 71, 69.5])
        let verdict = try XCTUnwrap(try verdicts("C1").first)
        XCTAssertEqual(verdict.verdict, .inconclusive)
        XCTAssertLessThan(verdict.interval!.low, 0)
        XCTAssertGreaterThan(verdict.interval!.high, 0)
    }

    func testOneSeedIsOnlyIndicativeEvenWithAHugeGap() throws {
        try addRuns("bce3s+stage2", top1: [90, 91])
        try addRuns("ce", top1: [40])
        let verdict = try XCTUnwrap(try verdicts("C1").first)
        XCTAssertEqual(verdict.verdict, .indicative)
        XCTAssertNil(verdict.interval)
        XCTAssertTrue(verdict.reason.contains("one seed on a side"), verdict.reason)
    }

    func testMissingRunsAreNotRunAndNamed() throws {
        try addRuns("bce3s+stage2", top1: [90])
        let verdict = try XCTUnwrap(try verdicts("C1").first)
        XCTAssertEqual(verdict.verdict, .notRun)
        XCTAssertTrue(verdict.reason.contains("no CE run (ce) in CIFAR-10-LT IF 100"), verdict.reason)
        XCTAssertTrue(verdict.reason.contains("train-bce3s+stage2-0"), verdict.reason)
        let ablation = try XCTUnwrap(try verdicts("C4").first)
        XCTAssertEqual(ablation.verdict, .notRun)
        XCTAssertNil(ablation.setting)
        XCTAssertTrue(ablation.reason.contains("needs BCE joint (bce_joint) and CE joint (ce_joint) runs (the paper: CIFAR-100-LT IF 100)"),
                      ablation.reason)
    }

    func testRunsOfDifferentSchedulesOrPrecisionAreRefused() throws {
        try addRuns("bce3s+stage2", top1: [33, 34], epochs: 10)
        try addRuns("ce", top1: [70, 71], epochs: 200)
        let verdict = try XCTUnwrap(try verdicts("C1").first)
        XCTAssertEqual(verdict.verdict, .notRun)
        XCTAssertTrue(verdict.reason.contains("runs of different settings are not compared"), verdict.reason)
        XCTAssertTrue(verdict.reason.contains("10 epochs") && verdict.reason.contains("200 epochs"), verdict.reason)

        try addRuns("focal", top1: [70, 71], extra: ["precision": "bf16"])
        try addRuns("bce3s", top1: [80, 81])
        let focal = Claim(id: "T", statement: "t", source: "s",
                          test: .comparison(a: ClaimArm("BCE3S", ["bce3s"]), b: ClaimArm("Focal", ["focal"]), metric: .train(.top1),
                                            direction: .higher, sameRecipe: false, margin: 0))
        let refused = try XCTUnwrap(fixture.ledger([focal]).verdicts.first)
        XCTAssertEqual(refused.verdict, .notRun)
        XCTAssertTrue(refused.reason.contains("bf16") && refused.reason.contains("fp32"), refused.reason)
        XCTAssertEqual(ClaimEvidence.condition(["set_recipe": ["precision": "bf16"]]).precision, "bf16", "set through set_recipe too")
        XCTAssertEqual(ClaimEvidence.condition([:]).precision, "fp32", "absent means fp32")
    }

    func testRunsOfEachConditionGetTheirOwnVerdictInAFixedOrder() throws {
        try addRuns("ce", top1: [60, 61, 60.4])
        try addRuns("ce", top1: [69.9, 70.5, 70.2], extra: ["precision": "bf16"])
        try addRuns("bce3s+stage2", top1: [80, 81, 80.5])
        try addRuns("bce3s+stage2", top1: [79, 80.2, 79.6], extra: ["precision": "bf16"])
        // Equal counts and schedules: the published check orders the conditions by description (bf16 before fp32).
        let published = try verdicts("B1").filter { $0.setting != nil }
        XCTAssertEqual(published.map(\.variant), ["bf16", "fp32"])
        XCTAssertEqual(published.map(\.verdict), [.supported, .contradicted])
        XCTAssertEqual(published[0].effect!, 70.2 - 70.36, accuracy: 1e-9)
        XCTAssertEqual(published.map(\.label), ["B1 CIFAR-10-LT IF 100 · bf16", "B1 CIFAR-10-LT IF 100 · fp32"])
        XCTAssertEqual(published[1].settingText, "CIFAR-10-LT IF 100 · fp32")
        XCTAssertFalse(published[0].reason.contains("not pooled"), published[0].reason)
        let compared = try verdicts("C1")
        XCTAssertEqual(compared.map(\.variant), ["bf16", "fp32"])
        XCTAssertEqual(compared[0].effect!, 79.6 - 70.2, accuracy: 1e-9)
        XCTAssertEqual(compared[1].effect!, 80.5 - 60.466666666, accuracy: 1e-6)
        XCTAssertEqual(Set(compared.map(\.label)).count, 2, "each verdict is stored under its own label")
    }

    func testAMoreNumerousConditionComesFirstAndOnlyWhatDiffersNamesIt() throws {
        try addRuns("bce3s+stage2", top1: [84.7])
        try addRuns("bce3s+stage2", top1: [88, 89], extra: ["model": "resnet32-glmc"])
        let published = try verdicts("C14").filter { $0.setting != nil }
        XCTAssertEqual(published.map(\.variant), ["resnet32-glmc", "resnet32"])
        XCTAssertEqual(published.map { $0.runsA.count }, [2, 1])
        XCTAssertEqual(ConditionVariant.names([["200 epochs", "resnet32", "fp32"]]), [nil], "a single condition needs no name")
        XCTAssertEqual(ConditionVariant.names([["30 epochs", "a", "fp32"], ["200 epochs", "a", "bf16"]]),
                       ["30 epochs, fp32", "200 epochs, bf16"])
    }

    func testAShortenedScheduleSaysSoInItsVerdict() throws {
        try addRuns("bce3s+stage2", top1: [33], epochs: 10)
        try addRuns("ce", top1: [35], epochs: 10)
        let ledger = try fixture.ledger(claims("C1"))
        let verdict = try XCTUnwrap(ledger.verdicts.first)
        XCTAssertEqual(verdict.verdict, .indicative)
        XCTAssertTrue(verdict.shortened)
        XCTAssertTrue(ledger.markdown().contains("| indicative, against (shortened schedule) |"), ledger.markdown())
        XCTAssertTrue(verdict.condition.contains("10 epochs — a shortened schedule (the protocol has 200)"), verdict.condition)
    }

    func testPublishedNumbersAreJudgedOnlyInTheirOwnSetting() throws {
        try addRuns("bce3s+stage2", top1: [89.9, 90.2, 90.4])
        let verdicts = try verdicts("C14")
        XCTAssertEqual(verdicts.map(\.setting?.description), ["CIFAR-10-LT IF 100", nil], "settings without runs share one line")
        XCTAssertEqual(verdicts.map(\.verdict), [.supported, .notRun])
        XCTAssertEqual(verdicts[1].missingSettings.map(\.description), ["CIFAR-100-LT IF 100", "CIFAR-100-LT IF 50", "CIFAR-100-LT IF 10"])
        XCTAssertEqual(verdicts[0].published, 90.08)
        XCTAssertEqual(verdicts[0].effect!, 90.1666666 - 90.08, accuracy: 1e-6)
        XCTAssertTrue(verdicts[1].reason.contains("no BCE3S run (bce3s+stage2 or bce3s) in CIFAR-100-LT IF 100, CIFAR-100-LT IF 50, "
                                                  + "CIFAR-100-LT IF 10; published 59.50, 65.23, 76.13"), verdicts[1].reason)
    }

    func testFallingClearlyShortOfAPublishedNumberIsContradicted() throws {
        try addRuns("ce", top1: [60, 61, 60.4])
        XCTAssertEqual(try verdicts("B1").first?.verdict, .contradicted)
    }

    func testStageTwoIsComparedWithTheSameRunsStageOneModel() throws {
        for (seed, (after, before)) in [(59.2, 55.8), (59.6, 55.5), (59.0, 56.0)].enumerated() {
            try fixture.train("bce3s+stage2", seed: seed, metrics: ["top1": after, "stage1_top1": before, "few": 40], dataset: "cifar100")
        }
        let verdict = try XCTUnwrap(try verdicts("C9").first)
        XCTAssertEqual(verdict.verdict, .supported)
        XCTAssertEqual(verdict.effect!, (59.2 + 59.6 + 59.0 - 55.8 - 55.5 - 56.0) / 3, accuracy: 1e-9)
        let few = try XCTUnwrap(try verdicts("C10").first)
        XCTAssertEqual(few.verdict, .notRun)
        XCTAssertTrue(few.reason.contains("store no `stage1_few`"), few.reason)
    }

    /// Stage 2 against the same runs' stage-1 models is paired seed by seed: a gain every seed
    /// shows is supported although the seeds' own spread would make Welch's interval straddle zero.
    func testStageTwoIsPairedSeedBySeed() throws {
        for (seed, (after, before)) in [(80.1, 79.2), (82.3, 81.0), (79.0, 78.3)].enumerated() {
            try fixture.train("bce3s+stage2", seed: seed, metrics: ["top1": after, "stage1_top1": before], dataset: "cifar100")
        }
        let verdict = try XCTUnwrap(try verdicts("C9").first)
        XCTAssertEqual(verdict.verdict, .supported, verdict.reason)
        XCTAssertEqual(verdict.interval?.low ?? .nan, 0.20775005994731655, accuracy: 1e-8)   // scipy ttest_rel
        XCTAssertTrue(verdict.reason.contains("paired (same runs, seed by seed) 95 % interval [+0.21, +1.73], df 2.0"), verdict.reason)
        XCTAssertLessThan(try XCTUnwrap(EffectInterval.welch([80.1, 82.3, 79.0], [79.2, 81.0, 78.3])).low, 0,
                          "unpaired, the same numbers would be inconclusive")
    }

    /// Stage 2 of one condition is compared with that condition's own stage-1 models only: two
    /// runs with other overrides give two verdicts, not four.
    func testStageTwoOfOneConditionIsNeverComparedWithAnothersStageOne() throws {
        try fixture.train("bce3s+stage2", seed: 0, metrics: ["top1": 84.69, "stage1_top1": 79.80], recipe: "bce3s-paper",
                          extra: ["stage2_epochs": 10, "set_method": ["sampler_power": 0.3]])
        try fixture.train("bce3s+stage2", seed: 0, metrics: ["top1": 84.04, "stage1_top1": 79.05], recipe: "bce3s-paper",
                          extra: ["stage2_epochs": 10])
        let c9 = try verdicts("C9")
        XCTAssertEqual(c9.count, 2, c9.map { $0.variant ?? "" }.joined(separator: "; "))
        XCTAssertEqual(c9.map(\.effect!).sorted()[0], 84.69 - 79.80, accuracy: 1e-9)
        XCTAssertEqual(c9.map(\.effect!).sorted()[1], 84.04 - 79.05, accuracy: 1e-9)
    }

    func testGeometryClaimsReadTheAnalysesAndTheirModelsSetting() throws {
        for seed in 0..<2 {
            let bce = try fixture.train("bce3s+stage2", seed: seed, metrics: ["top1": 80], epochs: 10)
            let ce = try fixture.train("ce", seed: seed, metrics: ["top1": 70], epochs: 10)
            try fixture.analysis("bce3s+stage2", seed: seed, model: bce,
                                 metrics: ["compactness_mean": 92 + Double(seed), "separability_max_cos": 0.3 + 0.01 * Double(seed)])
            try fixture.analysis("ce", seed: seed, model: ce,
                                 metrics: ["compactness_mean": 85 + Double(seed) / 2, "separability_max_cos": 0.5 + 0.02 * Double(seed)])
        }
        let verdicts = try verdicts("C11", "C12")
        XCTAssertEqual(verdicts.map(\.verdict), [.supported, .supported])
        XCTAssertTrue(verdicts.allSatisfy(\.shortened))
        XCTAssertEqual(verdicts[1].effect!, 0.305 - 0.51, accuracy: 1e-12)
    }

    /// Two runs of one seed (here differing only in the evaluation interval, which changes no
    /// weight) are one seed: the verdict is indicative, not an interval of zero width.
    func testRunsSharingASeedAreOneSeed() throws {
        for every in [1, 2] {
            try fixture.train("bce3s+stage2", seed: 0, metrics: ["top1": 80], epochs: 10, extra: ["set_recipe": ["eval_every": every]])
            try fixture.train("ce", seed: 0, metrics: ["top1": 70], epochs: 10, extra: ["set_recipe": ["eval_every": every]])
        }
        let c1 = try XCTUnwrap(try verdicts("C1").first)
        XCTAssertEqual(c1.verdict, .indicative)
        XCTAssertNil(c1.interval)
        XCTAssertEqual([c1.runsA.count, c1.runsB.count, c1.seedsA, c1.seedsB], [2, 2, 1, 1])
        XCTAssertTrue(c1.reason.contains("1 vs 1 seed; 2 vs 2 runs, those sharing a seed averaged"), c1.reason)
        XCTAssertTrue(c1.reason.contains("one seed on a side, so no interval"), c1.reason)
        XCTAssertEqual(ClaimLedger.countText(c1), "1 vs 1")
    }

    /// Runs on generated data (their dataset step recorded `synthetic` = 1) are a setting of their
    /// own: no published number stands beside them, in the ledger or the main table.
    func testRunsOnGeneratedDataAreASettingOfTheirOwnWithoutPublishedNumbers() throws {
        let data = try fixture.step(kind: "dataset", name: "data", params: ["dataset": "cifar10", "imbalance": 100],
                                    metricRecords: [("synthetic", 1, nil)])
        for method in ["bce3s+stage2", "ce"] {
            try fixture.step(kind: "train", name: "train-\(method)", params: ["dataset": "cifar10", "imbalance": 100, "method": method,
                                                                         "seed": 0, "epochs": 200, "model": "resnet32", "policy": "ldam",
                                                                         "recipe": "ldam"],
                             metrics: ["top1": method == "ce" ? 40 : 50], inputs: [("data", [data])])
        }
        let c14 = try verdicts("C14")
        XCTAssertTrue(c14.allSatisfy { $0.verdict == .notRun }, c14.map(\.reason).joined(separator: "\n"))
        XCTAssertTrue(c14.contains { $0.reason.contains("the runs on generated data (synthetic CIFAR-10-LT IF 100) are never compared") },
                      c14.map(\.reason).joined(separator: "\n"))
        let c1 = try XCTUnwrap(try verdicts("C1").first)
        XCTAssertEqual(c1.setting, Setting("cifar10", 100, synthetic: true))
        XCTAssertEqual(c1.settingText, "synthetic CIFAR-10-LT IF 100")
        let main = try ReportTables(store: fixture.store).mainTable()
        XCTAssertTrue(main.contains("synthetic CIFAR-10-LT IF 100"), main)
        XCTAssertFalse(main.contains("90.08") || main.contains("70.36"), main)
    }

    /// The ablation compares stage-1 models: a field only stage 2 reads does not keep BCE3S's
    /// stage-1 model from its comparison with BCE joint + contrastive.
    func testStageOneComparisonsIgnoreStageTwoFields() throws {
        try fixture.train("bce3s+stage2", seed: 0, metrics: ["top1": 84, "stage1_top1": 79],
                          extra: ["stage2_epochs": 10, "set_recipe": ["stage2_batch_size": 32]])
        try fixture.train("bce_joint_contrastive", seed: 0, metrics: ["top1": 75])
        let c7a = try XCTUnwrap(try verdicts("C7a").first)
        XCTAssertEqual(c7a.verdict, .indicative, c7a.reason)
        XCTAssertEqual(c7a.effect!, 4, accuracy: 1e-12)
    }

    /// C13 is about the classifier stage 1 learns: a BCE3S run with stage 2 (which retrains the
    /// classifier) does not count, a run without it does.
    func testTailClassifierClaimReadsOnlyRunsWithoutStageTwo() throws {
        let withStage2 = try fixture.train("bce3s+stage2", seed: 0, metrics: ["top1": 84], extra: ["stage2_epochs": 10])
        let contrastive = try fixture.train("bce_joint_contrastive", seed: 0, metrics: ["top1": 75])
        try fixture.analysis("bce3s+stage2", seed: 0, model: withStage2, metrics: ["classifier_max_cos_std_few": 0.05])
        try fixture.analysis("bce_joint_contrastive", seed: 0, model: contrastive, metrics: ["classifier_max_cos_std_few": 0.12])
        XCTAssertEqual(try verdicts("C13").map(\.verdict), [.notRun])
        let stageOne = try fixture.train("bce3s", seed: 0, metrics: ["top1": 79])
        try fixture.analysis("bce3s", seed: 0, model: stageOne, metrics: ["classifier_max_cos_std_few": 0.1])
        let c13 = try XCTUnwrap(try verdicts("C13").first)
        XCTAssertEqual(c13.verdict, .indicative)
        XCTAssertEqual(c13.effect!, 0.1 - 0.12, accuracy: 1e-12)
    }

    /// A step another pipeline computed first is stored under that pipeline's name; the evidence
    /// names it as the pipeline asking calls it.
    func testEvidenceNamesRunsAsThePipelineAskingCallsThem() throws {
        let key = try fixture.train("bce3s+stage2", seed: 0, metrics: ["top1": 84.69], extra: ["stage2_epochs": 10])
        let other = try fixture.train("ce", seed: 0, metrics: ["top1": 70])
        let evidence = try ClaimEvidence(store: fixture.store, steps: [key: "train-bce3s+stage2-resnet32"])
        XCTAssertEqual(evidence.runs.map(\.name), ["train-bce3s+stage2-resnet32"], "only the steps asked for, \(other) left out")
        XCTAssertEqual(try ClaimEvidence(store: fixture.store).runs.map(\.name).sorted(), ["train-bce3s+stage2-0", "train-ce-0"])
    }

    /// Seeds that all agree (a tiny test set quantises accuracy) leave no variance for an interval.
    func testSeedsWithoutSpreadGiveNoInterval() throws {
        for seed in 0..<2 {
            try fixture.train("bce3s+stage2", seed: seed, metrics: ["top1": 32.5], epochs: 10)
            try fixture.train("ce", seed: seed, metrics: ["top1": 30], epochs: 10)
        }
        let c1 = try XCTUnwrap(try verdicts("C1").first)
        XCTAssertEqual(c1.verdict, .indicative)
        XCTAssertNil(c1.interval)
        XCTAssertEqual([c1.seedsA, c1.seedsB], [2, 2])
        XCTAssertTrue(c1.reason.contains("no spread between the seeds on either side, so no interval"), c1.reason)
    }

    /// One method's runs that differ in recipe, stage-2 length or an override of a preset value are
    /// not seeds of one another: each gets a verdict of its own, named by what differs.
    func testRunsOfOneMethodWithOtherHyperparametersAreNeverPooled() throws {
        try fixture.train("bce3s+stage2", seed: 0, metrics: ["top1": 84.7], recipe: "bce3s-paper",
                          extra: ["stage2_epochs": 10, "set_method": ["sampler_power": 0.3], "set_recipe": ["eval_every": 10]])
        try fixture.train("bce3s+stage2", seed: 1, metrics: ["top1": 80.1], recipe: "bce3s-paper", extra: ["stage2_epochs": 10])
        try fixture.train("bce3s+stage2", seed: 2, metrics: ["top1": 75.2], extra: ["stage2_epochs": 10])
        try fixture.train("ce", seed: 0, metrics: ["top1": 70], extra: ["set_recipe": ["eval_every": 10]])
        let ledger = try fixture.ledger(claims("C1", "C14"))
        let c1 = ledger.verdicts.filter { $0.claim.id == "C1" }
        XCTAssertEqual(c1.map(\.runsA.count), [1, 1, 1], "three BCE3S conditions, three verdicts")
        XCTAssertEqual(c1.compactMap(\.variant), ["BCE3S recipe bce3s-paper, BCE3S sampler_power as preset",
                                                   "BCE3S recipe bce3s-paper, BCE3S sampler_power=0.3",
                                                   "BCE3S recipe ldam, BCE3S sampler_power as preset"])
        for (verdict, effect) in zip(c1, [10.1, 14.7, 5.2]) { XCTAssertEqual(verdict.effect!, effect, accuracy: 1e-9) }
        let c14 = ledger.verdicts.filter { $0.claim.id == "C14" && $0.setting != nil }
        XCTAssertEqual(c14.count, 3)
        XCTAssertEqual(Set(c14.map(\.label)).count, 3, "three labels in claim_result")
        XCTAssertTrue(ledger.evidenceLine(c1[1]).contains("overrides: BCE3S sampler_power=0.3, CE no overrides"), ledger.evidenceLine(c1[1]))
        // BCE3S on the authors' recipe against CE on LDAM-DRW's: the verdict says the recipes differ.
        XCTAssertEqual(c1.map(\.recipesDiffer), [true, true, false])
        XCTAssertEqual(ClaimLedger.verdictText(c1[0]), "indicative, for (recipes differ)")
        XCTAssertEqual(ClaimLedger.verdictText(c1[2]), "indicative, for")
        XCTAssertTrue(ledger.markdown().contains("| indicative, for (recipes differ) |"), ledger.markdown())
    }

    func testCountsText() throws {
        try addRuns("bce3s+stage2", top1: [90])
        try addRuns("ce", top1: [70])
        let ledger = try fixture.ledger(claims("C1", "C4"))
        XCTAssertEqual(ledger.countsText, "1 indicative (1 for), 1 not run")
    }

    /// One seed a side gives no interval, only a side of the boundary: the verdict names it, with
    /// the claim's direction and margin (C17 allows 1 point) and for published numbers too (C14).
    func testAnIndicativeVerdictNamesTheSideItsOneDifferenceLiesOn() throws {
        try addRuns("bce3s+stage2", top1: [84.69])
        try addRuns("ce", top1: [85])
        let ledger = try fixture.ledger(claims("C1", "C14", "C17"))
        XCTAssertEqual(ledger.verdicts.map(\.claim.id), ["C1", "C14", "C14", "C17"])
        XCTAssertEqual(ledger.verdicts.map(\.leaning), [.against, .against, nil, .towards], "−0.31; −5.39; not run; −0.31 + 1")
        XCTAssertEqual(ledger.countsText, "3 indicative (1 for, 2 against), 1 not run")
        XCTAssertEqual(ledger.summaryRows.map { $0[3] }, ["indicative, against", "indicative, against", "not run", "indicative, for"])
    }
}
