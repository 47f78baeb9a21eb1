import XCTest
@testable import NN

final class NNModuleTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertNotNil(NNModule.self)
    }
}
