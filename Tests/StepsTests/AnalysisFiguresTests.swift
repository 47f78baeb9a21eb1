import XCTest
@testable import Steps

/// The t-SNE figures mark the classes outside the Many group under the shot-group names the
/// tables use: CIFAR-10-LT IF 100 has no Few class, so its two smallest classes are "medium/few",
/// never a "tail" the tables and the ledger say it lacks.
final class AnalysisFiguresTests: XCTestCase {
    func testTheMarkedClassesAreNamedByTheTablesShotGroups() {
        let cifar10IF100 = [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]
        let marked = AnalysisFigures.tailClasses(cifar10IF100)
        XCTAssertEqual(marked.classes, [8, 9])
        XCTAssertEqual(marked.name, "medium/few")
        XCTAssertEqual(marked.headName, "many")
        let generated = AnalysisFigures.tailClasses([20, 12, 8, 4])
        XCTAssertEqual(generated.classes, [2, 3], "every class is below 100 images: the ones below the median")
        XCTAssertEqual(generated.name, "below median size")
    }
}
