import XCTest
@testable import Datasets

final class DatasetsModuleTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertNotNil(DatasetsModule.self)
    }
}
