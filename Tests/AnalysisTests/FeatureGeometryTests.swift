import XCTest
@testable import Analysis

/// Geometry figures on hand-made feature sets whose answers are known in closed form.
final class FeatureGeometryTests: XCTestCase {
    /// K class means forming a simplex ETF in R^d (d ≥ K): e_c − (1/K)·1, scaled, shifted
    /// by `offset` so that the raw features are not centred.
    static func simplexMeans(classCount k: Int, dimension d: Int, scale: Float = 3) -> [[Float]] {
        (0..<k).map { c in (0..<d).map { j in j < k ? scale * ((j == c ? 1 : 0) - 1 / Float(k)) + 0.5 : 0.5 } }
    }

    /// Every sample sits exactly on its class mean; class sizes are imbalanced on purpose.
    func testCollapsedSimplexIsPerfect() throws {
        let k = 5, d = 7
        let means = Self.simplexMeans(classCount: k, dimension: d)
        let sizes = [40, 20, 9, 4, 2]
        var values: [Float] = [], labels: [Int] = []
        for c in 0..<k { for _ in 0..<sizes[c] { values += means[c]; labels.append(c) } }
        let features = try LabelledFeatures(values: values, dimension: d, labels: labels, classCount: k)
        let geometry = FeatureGeometry(features)
        for value in geometry.compactness { XCTAssertEqual(value, 100, accuracy: 1e-9) }
        XCTAssertEqual(geometry.compactnessSummary.std, 0, accuracy: 1e-9)
        XCTAssertEqual(geometry.meanCosine, -1 / Double(k - 1), accuracy: 1e-7)
        XCTAssertEqual(geometry.maxCosine, -1 / Double(k - 1), accuracy: 1e-7)
        XCTAssertEqual(geometry.fisherRatio, .infinity)
        // The classifier is the ETF itself (self-duality).
        let collapse = NeuralCollapse(features, classifierWeights: means.flatMap { $0.prefix(k).map { $0 - 0.5 } + [0, 0] })
        XCTAssertEqual(collapse.nc1, 0, accuracy: 1e-12)
        XCTAssertEqual(collapse.meanEquinorm, 0, accuracy: 1e-7)
        XCTAssertEqual(collapse.meanEquiangularity, 0, accuracy: 1e-7)
        XCTAssertEqual(collapse.meanMaxAngleGap, 0, accuracy: 1e-7)
        XCTAssertEqual(collapse.classifierEquinorm!, 0, accuracy: 1e-7)
        XCTAssertEqual(collapse.classifierEquiangularity!, 0, accuracy: 1e-7)
    }

    /// Two classes in 2-D, worked by hand:
    /// class 0 = {(1,0), (0,1)}, μ0 = (½,½), cos = 1/√2 each → 70.71;
    /// class 1 = {(−1,−1), (−3,−3)}, μ1 = (−2,−2), cos = 1 → 100.
    /// μ̄ = (−¾,−¾); tr S_B = ½(3.125 + 3.125) = 3.125; tr S_W = ½(0.5 + 2) = 1.25 → Fisher 2.5.
    /// Σ_B has one direction u = (1,1)/√2 with eigenvalue 3.125; uᵀΣ_W u = ½(0 + 2) = 1,
    /// so NC1 = (1/3.125)/2 = 0.16.
    func testTwoClassesByHand() throws {
        let features = try LabelledFeatures(values: [1, 0, 0, 1, -1, -1, -3, -3], dimension: 2,
                                            labels: [0, 0, 1, 1], classCount: 2)
        let geometry = FeatureGeometry(features)
        XCTAssertEqual(geometry.compactness[0], 100 / 2.0.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(geometry.compactness[1], 100, accuracy: 1e-9)
        XCTAssertEqual(geometry.fisherRatio, 2.5, accuracy: 1e-12)
        XCTAssertEqual(geometry.meanCosine, -1, accuracy: 1e-12)
        XCTAssertEqual(NeuralCollapse(features).nc1, 0.16, accuracy: 1e-12)
    }

    func testClassifierNormsFollowingClassSizesCorrelatePerfectly() throws {
        let counts = [500, 200, 50, 10, 5]
        let weights: [Float] = counts.flatMap { n in [Float(log(Double(n))), 0, 0] }.enumerated().map { index, value in
            index % 3 == 0 ? value : Float(index % 3) * 0.1 * Float(index / 3)
        }
        let balance = try ClassifierBalance(weights: weights, classCount: 5, trainingCounts: counts, tailClasses: [3, 4])
        XCTAssertEqual(balance.norms[0], (pow(log(500.0), 2)).squareRoot(), accuracy: 1e-5)
        XCTAssertGreaterThan(balance.normLogCountCorrelation!, 0.99)
        XCTAssertEqual(balance.tailNormSummary?.count, 2)
        XCTAssertEqual(balance.cosines[2][2], 1, accuracy: 1e-9)
    }

    func testGroupSummariesPerShotGroup() {
        let summaries = groupSummaries(of: [1, 3, 5, 7], groups: ["many", "many", "medium", "few"])
        XCTAssertEqual(summaries["many"], MeanStd([1, 3]))
        XCTAssertEqual(summaries["many"]?.std, 1)
        XCTAssertEqual(summaries["few"]?.count, 1)
        XCTAssertEqual(orderedGroupNames(["few", "many", "medium", "few"]), ["many", "medium", "few"])
    }

    func testInconsistentInputIsRejectedWithTheFieldNamed() {
        XCTAssertThrowsError(try LabelledFeatures(values: [1, 2, 3], dimension: 2, labels: [0, 1], classCount: 2)) {
            XCTAssertTrue("\($0)".contains("features"))
        }
        XCTAssertThrowsError(try LabelledFeatures(values: [1, 2, 3, 4], dimension: 2, labels: [0, 2], classCount: 2)) {
            XCTAssertTrue("\($0)".contains("labels[1]"))
        }
        XCTAssertThrowsError(try LabelledFeatures(values: [1, 2, 3, 4], dimension: 2, labels: [0, 0], classCount: 2)) {
            XCTAssertTrue("\($0)".contains("no sample of class 1"))
        }
        // A negative label is named even when the class count was taken from the labels (all −1: 0 classes).
        XCTAssertThrowsError(try LabelledFeatures(values: [1, 2, 3, 4], dimension: 2, labels: [-1, -1], classCount: 0)) {
            XCTAssertTrue("\($0)".contains("labels[0]") && "\($0)".contains("a class index ≥ 0"), "\($0)")
        }
        XCTAssertThrowsError(try LabelledFeatures(values: [1, 2], dimension: 2, labels: [0], classCount: 1)) {
            XCTAssertEqual("\($0)", "field 'classes': expected at least 2 classes, found 1", "the option's name, --classes")
        }
    }
}
