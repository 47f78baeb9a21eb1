import XCTest
@testable import Analysis

final class AnalysisModuleTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertNotNil(AnalysisModule.self)
    }
}
