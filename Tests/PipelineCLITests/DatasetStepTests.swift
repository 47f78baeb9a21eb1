import Foundation
import XCTest

/// The `dataset` step through the built binary on generated data: subset artifacts and metrics,
/// a cached rerun, and the offline failure that names the missing archive.
final class DatasetStepTests: CLITestCase {
    private let pipeline = """
        pipeline: data-only
        steps:
          - name: data
            kind: dataset
            params: {dataset: cifar10, imbalance: 10, download: false}
        """

    func testSubsetOfGeneratedDataIsRecordedAndCached() throws {
        XCTAssertEqual(try bce3s("data", "synth", "--dataset", "cifar10", "--out", "synthetic", "--per-class", "20",
                                 "--test-per-class", "4", "--seed", "3").status, 0)
        try write(pipeline, to: "data.yaml")
        let first = try bce3s("run", "data.yaml", "--data-dir", "synthetic")
        XCTAssertEqual(first.status, 0, first.stdout + first.stderr)
        // IF 10 on 20 per class: int(20 · 0.1^(c/9)).
        let counts = try rows("SELECT class, value FROM step_metric WHERE metric = 'count' ORDER BY class")
        XCTAssertEqual(counts.map { ($0["value"] as? Double).map(Int.init) }, [20, 15, 11, 9, 7, 5, 4, 3, 2, 2])
        let totals = try rows("SELECT metric, value FROM step_metric WHERE metric IN ('train_images', 'test_images', 'synthetic')")
        let byName = Dictionary(uniqueKeysWithValues: totals.map { ($0["metric"] as! String, $0["value"] as! Double) })
        XCTAssertEqual(byName, ["train_images": 78, "test_images": 40, "synthetic": 1])

        let artifacts = try rows("SELECT name, path FROM artifact ORDER BY name")
        XCTAssertEqual(artifacts.map { $0["name"] as? String }, ["indices.npy", "subset.json"])
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent(
            "results/" + (artifacts[1]["path"] as! String)))) as! [String: Any]
        XCTAssertEqual(manifest["class_counts"] as? [Int], [20, 15, 11, 9, 7, 5, 4, 3, 2, 2])
        XCTAssertEqual(manifest["synthetic"] as? Bool, true)

        let again = try bce3s("run", "data.yaml", "--data-dir", "synthetic")
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("0 ran, 1 reused"), again.stdout)
    }

    func testOfflineWithoutDataFailsWithTheDataStepsMessage() throws {
        try write(pipeline, to: "data.yaml")
        let output = try bce3s("run", "data.yaml", "--data-dir", "empty")
        XCTAssertEqual(output.status, 1)
        let error = try rows("SELECT error FROM step WHERE name = 'data'").first?["error"] as? String ?? ""
        XCTAssertTrue(error.contains("cifar-10-binary.tar.gz"), error)
        XCTAssertTrue(output.stdout.contains("cifar-10-binary.tar.gz") || output.stderr.contains("cifar-10-binary.tar.gz"),
                      output.stdout + output.stderr)
    }

    /// Issue 17 case 1: a results folder made from one dataset is not reused for other data. Other
    /// generated data gives another key (its content checksums join it) and another `subset.json`,
    /// so dependents get other keys too; the official data holds a stored result to `synthetic`.
    func testOtherDataIsNeverReusedSilently() throws {
        for (folder, seed) in [("dataA", "0"), ("dataB", "1")] {
            XCTAssertEqual(try bce3s("data", "synth", "--dataset", "cifar10", "--out", folder, "--per-class", "20",
                                     "--test-per-class", "4", "--seed", seed).status, 0)
        }
        try write(pipeline, to: "data.yaml")
        XCTAssertEqual(try bce3s("run", "data.yaml", "--data-dir", "dataA").status, 0)
        let other = try bce3s("run", "data.yaml", "--data-dir", "dataB")
        XCTAssertEqual(other.status, 0, other.stdout + other.stderr)
        XCTAssertTrue(other.stdout.contains("ran     data") && other.stdout.contains("data changed"), other.stdout)
        let digests = try rows("SELECT DISTINCT output_digest FROM step WHERE name = 'data'")
        XCTAssertEqual(digests.count, 2, "other generated data must give other outputs: \(digests)")
        XCTAssertTrue(try bce3s("run", "data.yaml", "--data-dir", "dataA").stdout.contains("0 ran, 1 reused"))

        // CIFAR expected (no manifest): the generated result is not reused, the step runs (and,
        // offline without the archive, fails with the message saying where to put it).
        let official = try bce3s("run", "data.yaml", "--data-dir", "nodata")
        XCTAssertEqual(official.status, 1, official.stdout)
        XCTAssertTrue(official.stdout.contains("cifar-10-binary.tar.gz"), official.stdout)
        let status = try bce3s("status", "data.yaml", "--data-dir", "dataB")
        XCTAssertTrue(status.stdout.contains("reuse"), status.stdout)
    }

    /// Issue 17 case 9: a data directory that is a file, or generated data without its manifest,
    /// say so instead of "not found" or a bare checksum mismatch.
    func testDataDirectoryProblemsAreNamed() throws {
        try write(pipeline, to: "data.yaml")
        try write("not a folder", to: "file")
        let file = try bce3s("run", "data.yaml", "--data-dir", "file")
        XCTAssertEqual(file.status, 1)
        XCTAssertTrue(file.stdout.contains("the data directory is a file"), file.stdout)
        XCTAssertEqual(try bce3s("data", "synth", "--dataset", "cifar10", "--out", "orphan", "--per-class", "20",
                                 "--test-per-class", "4", "--seed", "0").status, 0)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("orphan/cifar10.synthetic.json"))
        let orphan = try bce3s("run", "data.yaml", "--data-dir", "orphan")
        XCTAssertEqual(orphan.status, 1)
        XCTAssertTrue(orphan.stdout.contains("holds generated data (bce3s data synth)"), orphan.stdout)
    }
}
