import XCTest
@testable import Pipeline

/// `NearestName`: a suggestion only for a slip of the keyboard, never for another word.
final class NearestNameTests: XCTestCase {
    func testEditDistanceCountsInsertionsDeletionsSubstitutionsAndSwaps() {
        let d = { (a: String, b: String) in NearestName.distance(Array(a), Array(b)) }
        XCTAssertEqual(d("kitten", "sitting"), 3)
        XCTAssertEqual(d("", "abc"), 3)
        XCTAssertEqual(d("trian", "train"), 1, "a swap of neighbours is one edit")
        XCTAssertEqual(d("ca", "abc"), 3, "optimal string alignment: no edit of a swapped pair")
        XCTAssertEqual(d("same", "same"), 0)
    }

    func testSuggestsTheClosestKnownNameWhenItIsClose() {
        let kinds = ["analyse", "count", "dataset", "fail", "figures", "sum", "table", "train", "write"]
        XCTAssertEqual(NearestName.suggestion(for: "trian", among: kinds), "train")
        XCTAssertEqual(NearestName.suggestion(for: "Figure", among: kinds), "figures")
        XCTAssertEqual(NearestName.hint(for: "tabel", among: kinds), " (did you mean 'table'?)")
        XCTAssertNil(NearestName.suggestion(for: "plot", among: kinds), "no known name is a slip away")
        XCTAssertNil(NearestName.suggestion(for: "train", among: kinds), "the name itself is not a suggestion")
        XCTAssertEqual(NearestName.hint(for: "xyz", among: kinds), "")
        XCTAssertEqual(NearestName.suggestion(for: "epoch", among: ["epochs", "seed"]), "epochs")
    }
}
