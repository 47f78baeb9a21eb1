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

    /// Mistakes found before any data is read, each one line naming the option, a pointer to
    /// `bce3s train --help` (not the top-level usage), exit 64 and no work directory.
    func testOptionMistakesAreNamedBeforeAnyDataIsRead() throws {
        let base = ["train", "--dataset", "cifar10", "--data-dir", "absent", "--offline", "--out", "w"]
        let cases: [([String], String)] = [
            (["--imbalance", "inf"], "--imbalance must be a finite number ≥ 1 (got inf)"),
            (["--epochs", "7", "--set-recipe", "epochs=5"],
             "--epochs 7 and --set-recipe epochs=5 both set the recipe's 'epochs'; give one of them"),
            (["--model", "small", "--set-recipe", "model=resnet32"], "--model small and --set-recipe model=resnet32"),
            (["--precision", "bf16", "--set-recipe", "precision=fp32"], "--precision bf16 and --set-recipe precision=fp32"),
            (["--model", "resnet50"], "'resnet50' is invalid for '--model <model>'"),
            (["--set-recipe", "epochs=2", "--set-recipe", "epochs=1"],
             "--set-recipe epochs=2 and --set-recipe epochs=1 both set 'epochs'; give one of them"),
            (["--set-method", "negative_ratio=1", "--set-method", "negative_ratio=0.5"],
             "--set-method negative_ratio=1 and --set-method negative_ratio=0.5 both set 'negative_ratio'"),
        ]
        for (extra, message) in cases {
            let output = try finish(try start(base + extra))
            XCTAssertEqual(output.status, 64, "\(extra): \(output.stderr)")
            XCTAssertTrue(output.stderr.contains(message), "\(extra): \(output.stderr)")
            XCTAssertTrue(output.stderr.contains("See 'bce3s train --help'"), "\(extra): \(output.stderr)")
            XCTAssertFalse(output.stderr.contains("bce3s <subcommand>"), "\(extra): \(output.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "w"))
    }

    /// A value found wrong once the command runs (a recipe field set to something it cannot be)
    /// points to the command's own help, not to `bce3s <subcommand>`.
    func testARecipeFieldErrorPointsToTheTrainHelp() throws {
        let output = try bce3s("train", "--dataset", "cifar10", "--data-dir", "absent", "--offline", "--set-recipe", "epochs=0", "--out", "w")
        XCTAssertEqual(output.status, 64, output.stderr)
        XCTAssertEqual(output.stderr, "Error: recipe: field 'epochs': expected ≥ 1, got 0\n  See 'bce3s train --help' for more information.\n")
    }

    /// The method and recipe lists in `bce3s train --help` wrap under their text column, not at
    /// column 0 under the names (ArgumentParser's own wrapping of a long discussion line).
    func testHelpListsWrapUnderTheirTextColumn() throws {
        let help = try bce3s("train", "--help")
        XCTAssertEqual(help.status, 0, help.stderr)
        let lines = help.stdout.components(separatedBy: "\n")
        let start = try XCTUnwrap(lines.firstIndex(of: "Methods (--method):"))
        let end = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("Override any field") })
        let listed = lines[(start + 1)..<end].filter { !$0.isEmpty && $0 != "Recipes (--recipe):" }
        XCTAssertGreaterThan(listed.count, 12)
        for line in listed {
            XCTAssertTrue(line.hasPrefix("  "), "a list line at column 0: \(line)")
            XCTAssertLessThanOrEqual(line.count, 80, line)
        }
        XCTAssertTrue(listed.contains { $0.hasPrefix("  ldam_drw ") }, help.stdout)
    }
}
