import XCTest
@testable import Plotting

final class PlottingModuleTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertNotNil(PlottingModule.self)
    }
}
