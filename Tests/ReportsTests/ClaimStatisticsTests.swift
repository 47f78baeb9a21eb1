import XCTest
@testable import Reports

/// Student-t quantiles and the intervals against SciPy 1.17.1 (`scipy.stats.t.ppf`, `ttest_ind(equal_var=False)`
/// and `ttest_1samp(...).confidence_interval(0.95)`).
final class ClaimStatisticsTests: XCTestCase {
    func testQuantilesMatchSciPy() {
        // python3 -c "from scipy import stats; print(stats.t.ppf(0.975, df))"
        let golden: [(Double, Double)] = [(1, 12.706204736174694), (2, 4.302652729749462), (3, 3.1824463052837078),
                                          (4, 2.7764451051977934), (5.5, 2.501858617589239), (10, 2.228138851986274),
                                          (30, 2.0422724563012378), (1000, 1.9623390808264083), (2.7183, 3.3774059175164584)]
        for (df, expected) in golden {
            XCTAssertEqual(StudentT.quantile(0.975, df: df), expected, accuracy: 1e-9 * expected, "df \(df)")
        }
    }

    func testWelchIntervalMatchesSciPy() throws {
        // stats.ttest_ind([89, 90, 90.6], [70, 71, 70.2], equal_var=False).confidence_interval(0.95), .df
        let interval = try XCTUnwrap(EffectInterval.welch([89, 90, 90.6], [70, 71, 70.2]))
        XCTAssertEqual(interval.effect, 19.466666666666665, accuracy: 1e-9)
        XCTAssertEqual(interval.low, 17.815250105185044, accuracy: 1e-8)
        XCTAssertEqual(interval.high, 21.118083228148322, accuracy: 1e-8)
        XCTAssertEqual(interval.degreesOfFreedom, 3.4482758620689697, accuracy: 1e-9)
        XCTAssertNil(EffectInterval.welch([1], [2, 3]), "one seed on a side has no interval")
    }

    func testPairedIntervalMatchesSciPy() throws {
        // stats.ttest_rel([80.1, 82.3, 79.0], [79.2, 81.0, 78.3]).confidence_interval(0.95), .df
        let interval = try XCTUnwrap(EffectInterval.paired([80.1, 82.3, 79.0], [79.2, 81.0, 78.3]))
        XCTAssertEqual(interval.effect, 0.9666666666666686, accuracy: 1e-9)
        XCTAssertEqual(interval.low, 0.20775005994731655, accuracy: 1e-8)
        XCTAssertEqual(interval.high, 1.725583273386011, accuracy: 1e-8)
        XCTAssertEqual(interval.degreesOfFreedom, 2)
        XCTAssertNil(EffectInterval.paired([1], [2]), "one pair has no interval")
        XCTAssertNil(EffectInterval.paired([3, 4], [2, 3]), "differences that all agree have no spread")
    }

    func testOneSampleIntervalMatchesSciPy() throws {
        // stats.ttest_1samp([55, 56], 59.5).confidence_interval(0.95) = (49.14689763191265, 61.85310236808735), minus 59.5
        let interval = try XCTUnwrap(EffectInterval.oneSample([55, 56], minus: 59.5))
        XCTAssertEqual(interval.effect, -4, accuracy: 1e-12)
        XCTAssertEqual(interval.low, 49.14689763191265 - 59.5, accuracy: 1e-8)
        XCTAssertEqual(interval.high, 61.85310236808735 - 59.5, accuracy: 1e-8)
    }
}
