import CanonicalJSON
import Foundation
import XCTest

final class FiniteNumberTests: XCTestCase {
    /// NaN and ±infinity are refused with the field's name (Python would write `NaN`, not JSON).
    func testNonFiniteNumbersAreAnErrorNamingTheField() {
        for value in [Double.nan, .infinity, -.infinity] {
            XCTAssertThrowsError(try FiniteNumber(value, field: "params.lr")) { error in
                let problem = error as? NonFiniteNumberError
                XCTAssertEqual(problem?.field, "params.lr")
                XCTAssertTrue("\(error)".contains("field 'params.lr': expected a finite number"), "\(error)")
            }
        }
    }

    /// Up to 2^53 the text is Swift's `description`, which cache keys hashed before this writer
    /// existed, so stored keys stay valid. Checked on 50,000 deterministic bit patterns (every
    /// magnitude) and 50,000 short decimals such as pipeline files hold (`0.05`, `2e-4`, `320`).
    func testTextIsSwiftsDescriptionUpToTwoToThe53() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state
        }
        var checked = 0
        while checked < 50_000 {
            let value = Double(bitPattern: next())
            guard value.isFinite, abs(value) <= 0x1p53 else { continue }
            XCTAssertEqual(try FiniteNumber(value, field: "x").text, value.description)
            checked += 1
        }
        for _ in 0..<50_000 {
            let bits = next()
            let value = Double(Int(bits >> 40) % 100_000) / pow(10, Double(bits % 12))
            XCTAssertEqual(try FiniteNumber(value, field: "x").text, value.description)
        }
    }
}
