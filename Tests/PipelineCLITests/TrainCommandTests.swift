import Foundation
import XCTest

/// `bce3s train --json` end to end on generated data: one JSON object, keys sorted, null for a
/// shot group without classes (no class has more than 100 images here, so Many is empty).
final class TrainCommandTests: CLITestCase {
    func testJSONOutputIsOneSortedObjectWithNullForAnEmptyGroup() throws {
        XCTAssertEqual(try bce3s("data", "synth", "--dataset", "cifar10", "--out", "d", "--per-class", "20", "--seed", "1").status, 0)
        let output = try bce3s("train", "--dataset", "cifar10", "--data-dir", "d", "--offline", "--imbalance", "4",
                               "--model", "small", "--epochs", "1", "--threads", "1", "--set-recipe", "batch_size=16",
                               "--out", "w", "--json")
        XCTAssertEqual(output.status, 0, output.stderr)
        let line = output.stdout.trimmingCharacters(in: .newlines)
        XCTAssertFalse(line.contains("\n"), line)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertTrue(json["many"] is NSNull, "\(json["many"] ?? "missing")")
        XCTAssertNotNil(json["few"] as? Double)
        XCTAssertEqual((json["per_class"] as? [Any])?.count, 10)
        XCTAssertEqual(json["epochs"] as? Int, 1)
        XCTAssertEqual(json["method"] as? String, "ce")
        XCTAssertNil(json["stage1"])
        let positions = ["checkpoint", "class_counts", "epochs", "few", "per_class", "precision", "seconds", "top1_flip"]
            .map { line.range(of: "\"\($0)\":")?.lowerBound }
        XCTAssertFalse(positions.contains(nil), line)
        XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted(), "keys are written sorted: \(line)")
    }
}
