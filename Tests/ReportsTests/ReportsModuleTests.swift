import XCTest
@testable import Reports

final class ReportsModuleTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertNotNil(ReportsModule.self)
    }
}
