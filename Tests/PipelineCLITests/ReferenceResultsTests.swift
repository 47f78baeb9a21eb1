import Foundation
import XCTest

/// The committed reference results stay readable by this binary: a migration that a reader
/// would refuse (it opens the store read-only and cannot migrate it) must come with the
/// reference store migrated too, or the README's queries of `results/reference` break.
final class ReferenceResultsTests: CLITestCase {
    func testTheCommittedReferenceStoresAnswerQueries() throws {
        for (folder, expected) in [("reference", "ce,10,35.64"), ("reference-full", "ce,200,70.03"), ("reference-ablation", "bce3s+stage2,200,84.69")] {
            let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../results/\(folder)").standardizedFileURL
            let output = try bce3s("query", "--results", reference.path, "--format", "csv",
                                   "SELECT method, epochs, top1 FROM train_result ORDER BY method")
            XCTAssertEqual(output.status, 0, "\(folder): \(output.stderr)")
            XCTAssertTrue(output.stdout.contains(expected), "\(folder): \(output.stdout)")
        }
    }

    /// `claims --summary` names a ledger file by its content, also in a folder whose stored table
    /// step predates the ledger (`results/reference`: its `tables/claims.md` is from `report --markdown`).
    func testClaimsSummaryNamesTheCommittedLedger() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL
        let results = root.appendingPathComponent("results/reference").path
        let summary = try bce3s("claims", root.appendingPathComponent("pipelines/quick.yaml").path, "--results", results, "--summary")
        XCTAssertEqual(summary.status, 0, summary.stderr)
        XCTAssertTrue(summary.stdout.contains("; ledger: \(results)/tables/claims.md;"), summary.stdout)
    }
}
