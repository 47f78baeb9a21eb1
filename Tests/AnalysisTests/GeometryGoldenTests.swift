import Foundation
import XCTest
import Datasets
@testable import Analysis

/// Compares every figure with the independent NumPy implementation in
/// Fixtures/make_geometry_fixture.py (which wrote the .npy inputs and the expected JSON).
final class GeometryGoldenTests: XCTestCase {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    /// `NPYFile` (Datasets) reads the fixture files NumPy wrote.
    func testReadsNumPyFiles() throws {
        let (labels, shape) = try NPYFile.readInts(from: GeometryGoldenTests.fixtures.appendingPathComponent("geometry_labels.npy"))
        XCTAssertEqual(shape, [43])
        XCTAssertEqual(labels.prefix(13), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    }

    func testMatchesNumPy() throws {
        let (values, shape) = try NPYFile.readFloats(from: Self.fixtures.appendingPathComponent("geometry_features.npy"))
        let (labels, _) = try NPYFile.readInts(from: Self.fixtures.appendingPathComponent("geometry_labels.npy"))
        let (weights, _) = try NPYFile.readFloats(from: Self.fixtures.appendingPathComponent("geometry_weights.npy"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent("geometry_expected.json"))) as! [String: Any]
        let expected = { (key: String) in json[key] as! Double }
        let counts = json["train_counts"] as! [Int]

        let features = try LabelledFeatures(values: values, dimension: shape[1], labels: labels, classCount: counts.count)
        let groups = ["many", "medium", "medium", "medium", "few", "few"]  // > 100, 20…100, < 20 (the fixture's counts)
        let report = try GeometryReport(features: features, trainingCounts: counts, groups: groups, classifierWeights: weights)
        let metrics = Dictionary(uniqueKeysWithValues: report.metrics.map { ($0.name, $0.value) })
        for key in ["compactness_mean", "compactness_std", "separability_mean_cos", "separability_max_cos", "fisher_ratio",
                    "nc1", "means_equinorm", "means_equiangularity", "means_max_angle_gap", "classifier_max_cos_std_few",
                    "classifier_norm_logcount_corr", "classifier_equiangularity"] {
            XCTAssertEqual(metrics[key]!, expected(key), accuracy: 1e-6 * max(1, abs(expected(key))), key)
        }
        assertAllClose(report.geometry.compactness, json["compactness"] as! [Double], accuracy: 1e-6, "compactness")
        assertAllClose(report.balance!.norms, json["classifier_norms"] as! [Double], accuracy: 1e-6, "classifier norms")
        assertAllClose(report.balance!.maxCosine, json["classifier_max_cos"] as! [Double], accuracy: 1e-6, "classifier max cos")
        XCTAssertNotNil(metrics["compactness_mean_few"])
    }
}
