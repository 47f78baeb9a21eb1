import Foundation
import XCTest

/// `bce3s data …` end to end through the built binary, on generated archives (no network).
final class DataCommandTests: CLITestCase {
    func testSynthFetchSubsetRoundTrip() throws {
        let synth = try bce3s("data", "synth", "--dataset", "cifar10", "--out", "synthetic", "--per-class", "50", "--seed", "1")
        XCTAssertEqual(synth.status, 0, synth.stderr)
        let fetch = try bce3s("data", "fetch", "cifar10", "--data-dir", "synthetic", "--offline")
        XCTAssertEqual(fetch.status, 0, fetch.stderr)
        XCTAssertTrue(fetch.stdout.contains("verified 6 files"), fetch.stdout)
        XCTAssertTrue(fetch.stdout.contains("(synthetic data)"), fetch.stdout)
        let subset = try bce3s("data", "subset", "--dataset", "cifar10", "--data-dir", "synthetic", "--offline",
                               "--imbalance", "10", "--policy", "ldam", "--json")
        XCTAssertEqual(subset.status, 0, subset.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(subset.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["counts"] as? [Int], [50, 38, 29, 23, 17, 13, 10, 8, 6, 5])
        XCTAssertEqual(json["total"] as? Int, 199)
        XCTAssertEqual((json["indices_sha256"] as? String)?.count, 64)
        XCTAssertEqual(Set(json.keys), ["counts", "total", "indices_sha256"])
    }

    func testOfflineWithoutDataFailsWithInstructions() throws {
        let output = try bce3s("data", "fetch", "cifar100", "--data-dir", "empty", "--offline")
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("Put cifar-100-binary.tar.gz"), output.stderr)
    }

    func testTruncatedArchiveFailsNamingTheFile() throws {
        XCTAssertEqual(try bce3s("data", "synth", "--dataset", "cifar100", "--out", "d", "--per-class", "2").status, 0)
        let archive = directory.appendingPathComponent("d/cifar-100-binary.tar.gz")
        let bytes = try Data(contentsOf: archive)
        try bytes.prefix(bytes.count - 100).write(to: archive)
        let output = try bce3s("data", "fetch", "cifar100", "--data-dir", "d", "--offline")
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("cifar-100-binary.tar.gz: archive sha256 expected"), output.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("d/cifar-100-binary").path))
    }

    func testBenchPrintsJSON() throws {
        let output = try bce3s("data", "bench", "--images", "64", "--json")
        XCTAssertEqual(output.status, 0, output.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        XCTAssertGreaterThan(json["augment_autoaugment_images_per_s_one_core"] as? Double ?? 0, 0)
        XCTAssertGreaterThan(json["loader_images_per_s"] as? Double ?? 0, 0)
    }

    /// A command that does not report its own errors still names the path of a Foundation file
    /// error in one line, not `NSCocoaErrorDomain Code=516 …`.
    func testAFileInTheWayIsNamedInOneLine() throws {
        try write("not a folder\n", to: "afile")
        let output = try bce3s("data", "synth", "--dataset", "cifar10", "--out", "afile", "--per-class", "2", "--seed", "0")
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.hasPrefix("error: cannot write ") && output.stderr.hasSuffix("afile: a file is in the way\n"),
                      output.stderr)
    }

    /// Out-of-range numbers are refused before anything is written or allocated: a synthetic set
    /// larger than any CIFAR (it crashed allocating 8 TB and left its staging folder), a negative
    /// seed (it said "Missing value for '--seed'"), no images to benchmark.
    func testOutOfRangeNumbersAreRefusedBeforeAnyWork() throws {
        let huge = try bce3s("data", "synth", "--dataset", "cifar10", "--out", "big", "--per-class", "999999999999")
        XCTAssertEqual(huge.status, 64)
        XCTAssertTrue(huge.stderr.hasPrefix("Error: --per-class must be between 1 and 50000 (ten times CIFAR-10's 5,000 training "
                                            + "images per class; got 999999999999)"), huge.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("big").path), "nothing written")
        let none = try bce3s("data", "synth", "--dataset", "cifar10", "--out", "none", "--per-class", "2", "--test-per-class", "0")
        XCTAssertEqual(none.status, 64)
        XCTAssertTrue(none.stderr.contains("--test-per-class must be between 1 and 50000") && none.stderr.contains("got 0)"),
                      none.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("none").path), "nothing written")
        let seed = try bce3s("data", "synth", "--dataset", "cifar10", "--out", "neg", "--per-class", "2", "--seed", "-1")
        XCTAssertEqual(seed.status, 64)
        XCTAssertTrue(seed.stderr.contains("The value '-1' is invalid for '--seed"), seed.stderr)
        let images = try bce3s("data", "bench", "--images", "0")
        XCTAssertEqual(images.status, 64)
        XCTAssertTrue(images.stderr.contains("--images must be at least 1, got 0"), images.stderr)
    }
}
