import Foundation
import GRDB
import XCTest
@testable import Store

/// The views are built from `TrainMetricName` and `MetricSplit`, but a landed migration must not
/// change its SQL: a fresh store has to hold exactly the views of the stores committed under
/// `results/` (migrated by earlier code), and the `train_result` columns exactly the old text.
final class ViewSchemaPinTests: StoreTestCase {
    private func views(_ store: ExperimentStore) throws -> [Row] {
        try store.read { db in try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'view' ORDER BY name") }
    }

    func testAFreshStoreHasTheViewsOfTheCommittedReferenceStores() throws {
        let fresh = try views(ExperimentStore.openForWriting(at: storeURL))
        XCTAssertEqual(fresh.map { $0["name"] as String }, ["claim_result", "step_metric", "step_summary", "train_result"])
        for folder in ["reference", "reference-full", "reference-ablation"] {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../results/\(folder)/store.sqlite").standardizedFileURL
            let committed = try views(ExperimentStore.openReadOnly(at: url, immutable: true))
            XCTAssertEqual(committed, fresh, folder)
        }
    }

    func testTheTrainResultColumnsAreTheTextOfTheLandedMigration() {
        XCTAssertEqual(TrainMetricName.resultColumns.map(\.rawValue), ["top1", "many", "medium", "few"])
        XCTAssertEqual(StoreSchema.resultColumn(.medium),
                       "(SELECT m.value FROM metric m WHERE m.step_key = s.key AND m.name = 'medium' "
                           + "AND m.split = 'test' AND m.epoch IS NULL AND m.class IS NULL) AS medium")
    }

    func testEveryFinalAccuracyHasAStageOneCounterpartOfItsOwn() {
        let stageOne = TrainMetricName.finalAccuracies.compactMap(\.stageOne)
        XCTAssertEqual(stageOne.count, TrainMetricName.finalAccuracies.count)
        XCTAssertEqual(Set(stageOne).count, stageOne.count)
        XCTAssertEqual(stageOne.map(\.rawValue), TrainMetricName.finalAccuracies.map { "stage1_" + $0.rawValue })
        XCTAssertTrue(stageOne.allSatisfy { $0.stageOne == nil })
    }
}
