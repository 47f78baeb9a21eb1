import XCTest
@testable import Datasets

/// Golden values from Fixtures/numpy_reference.py (NumPy's legacy MT19937 and shuffle).
final class NumPyLegacyRandomTests: XCTestCase {
    func testFirstOutputsMatchNumPy() throws {
        let golden = try Fixture.json("numpy_golden.json")
        for (seed, key) in [(UInt32(0), "mt_seed0"), (12345, "mt_seed12345")] {
            var rng = NumPyLegacyRandom(seed: seed)
            let outputs = (0..<8).map { _ in Int(rng.nextUInt32()) }
            XCTAssertEqual(outputs, golden[key] as? [Int], "seed \(seed)")
        }
        XCTAssertEqual((golden["mt_seed0"] as? [Int])?.first, 2_357_136_044, "METHOD.md test vector")
    }

    func testOutputAfterStateRegenerationMatchesNumPy() throws {
        let golden = try Fixture.json("numpy_golden.json")
        var rng = NumPyLegacyRandom(seed: 0)
        var last: UInt32 = 0
        for _ in 0..<700 { last = rng.nextUInt32() }
        XCTAssertEqual(Int(last), golden["mt_seed0_output700"] as? Int)
    }

    func testShuffleOf5000MatchesNumPyAndMethodVector() throws {
        let golden = try XCTUnwrap(Fixture.json("numpy_golden.json")["shuffle_5000_seed0"] as? [String: Any])
        var rng = NumPyLegacyRandom(seed: 0)
        var values = Array(0..<5000)
        rng.shuffle(&values)
        XCTAssertEqual(Array(values.prefix(5)), [398, 3833, 4836, 4572, 636])
        XCTAssertEqual(Array(values.prefix(10)), golden["first"] as? [Int])
        XCTAssertEqual(LongTailSubset.sha256(ofIndices: values), golden["sha256"] as? String)
    }

    func testSeveralShufflesShareOneStream() throws {
        let golden = try XCTUnwrap(Fixture.json("numpy_golden.json")["shuffle_stream_seed7"] as? [[Int]])
        var rng = NumPyLegacyRandom(seed: 7)
        for expected in golden {
            var values = Array(0..<expected.count)
            rng.shuffle(&values)
            XCTAssertEqual(values, expected)
        }
    }

    func testIntervalStaysInRange() {
        var rng = NumPyLegacyRandom(seed: 3)
        for bound in [0, 1, 2, 3, 7, 8, 1000] as [UInt32] {
            for _ in 0..<200 { XCTAssertLessThanOrEqual(rng.interval(bound), bound) }
        }
    }
}
