import Foundation
import XCTest
@testable import Datasets

final class NPYFileTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("npy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try FileManager.default.removeItem(at: directory) }

    func testRoundTripsFloatsAndInts() throws {
        let url = directory.appendingPathComponent("a.npy")
        try NPYFile.write([1.5, -2, 3.25, 0, .greatestFiniteMagnitude, -0.0], shape: [3, 2], to: url)
        let (floats, shape) = try NPYFile.readFloats(from: url)
        XCTAssertEqual(shape, [3, 2])
        XCTAssertEqual(floats, [1.5, -2, 3.25, 0, .greatestFiniteMagnitude, -0.0])
        try NPYFile.write([7, -1, Int(Int32.max) + 5], shape: [3], to: url)
        XCTAssertEqual(try NPYFile.readInts(from: url).values, [7, -1, Int(Int32.max) + 5])
        XCTAssertEqual(try NPYFile.readInts(from: url).shape, [3])
        // NumPy aligns the data to 64 bytes.
        XCTAssertEqual(try Data(contentsOf: url).count, 152)  // what np.save writes for this array
    }

    /// A missing file or a folder is said in words (it was Foundation's "The operation could not be completed").
    func testAMissingFileOrAFolderIsSaidInWords() {
        let missing = directory.appendingPathComponent("nope.npy")
        XCTAssertThrowsError(try NPYFile.readFloats(from: missing)) { error in
            XCTAssertEqual("\(error)", "\(missing.path): field 'file': expected a readable .npy file, found no such file")
        }
        XCTAssertThrowsError(try NPYFile.readInts(from: directory)) { error in
            XCTAssertTrue("\(error)".hasSuffix("expected a readable .npy file, found a directory"), "\(error)")
        }
    }

    func testRejectsWrongTypeAndTruncationNamingTheField() throws {
        let url = directory.appendingPathComponent("labels.npy")
        try NPYFile.write([1, 2, 3], shape: [3], to: url)
        XCTAssertThrowsError(try NPYFile.readFloats(from: url)) {
            XCTAssertTrue("\($0)".contains("labels.npy") && "\($0)".contains("'descr'") && "\($0)".contains("'<f4'"), "\($0)")
        }
        let bytes = try Data(contentsOf: url)
        try bytes.dropLast(4).write(to: url)
        XCTAssertThrowsError(try NPYFile.readInts(from: url)) { XCTAssertTrue("\($0)".contains("'data'"), "\($0)") }
        try Data("not numpy at all".utf8).write(to: url)
        XCTAssertThrowsError(try NPYFile.readInts(from: url)) { XCTAssertTrue("\($0)".contains("'magic'"), "\($0)") }
    }
}
