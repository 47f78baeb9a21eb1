import XCTest

/// Golden comparison of two arrays: same length first (a short side must fail, not pass
/// silently as `zip` would), then every element within `accuracy`.
func assertAllClose(_ actual: [Double], _ expected: [Double], accuracy: Double, _ message: @autoclosure () -> String,
                    file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(message()): length", file: file, line: line)
    for (a, e) in zip(actual, expected) {
        XCTAssertEqual(a, e, accuracy: accuracy, message(), file: file, line: line)
    }
}
