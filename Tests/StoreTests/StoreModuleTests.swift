import XCTest
@testable import Store

final class StoreModuleTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertNotNil(StoreModule.self)
    }
}
