import Foundation
import XCTest
@testable import Pipeline

/// A build stamp counts only for the binary it was written for: missing, unreadable and
/// digest-mismatched stamps are told apart, and a written stamp reads back.
final class BuildStampTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stamp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func testAStampDescribesOnlyTheBinaryItWasWrittenFor() throws {
        let binary = directory.appendingPathComponent("bce3s-copy")
        try Data("binary bytes".utf8).write(to: binary)
        XCTAssertEqual(BuildStamp.location(of: binary).lastPathComponent, "bce3s-copy.build.json")
        XCTAssertEqual(BuildStamp.lookup(for: binary), .missing)

        let written = try BuildStamp.write(codeVersion: "6259cdf0c1a2", dependencies: "GRDB.swift 7.10.0", for: binary)
        // SHA-256 of "binary bytes", computed independently (`printf 'binary bytes' | sha256sum`).
        XCTAssertEqual(written.binarySHA256, "4f463802bc436efdd9a0c4e8c999ec3d37450657bd50b579d796b58bc9d3f1ef")
        XCTAssertEqual(BuildStamp.lookup(for: binary), .stamped(written))
        let json = try String(contentsOf: BuildStamp.location(of: binary), encoding: .utf8)
        XCTAssertTrue(json.contains(#""code_version" : "6259cdf0c1a2""#), json)

        try Data("rebuilt binary".utf8).write(to: binary)
        guard case .stale(let reason) = BuildStamp.lookup(for: binary) else { return XCTFail("a rebuilt binary keeps its old stamp") }
        XCTAssertTrue(reason.contains("describes another binary") && reason.contains("4f463802bc43"), reason)

        try Data("not json".utf8).write(to: BuildStamp.location(of: binary))
        guard case .stale(let unreadable) = BuildStamp.lookup(for: binary) else { return XCTFail("garbage read as a stamp") }
        XCTAssertTrue(unreadable.contains("is not a build stamp"), unreadable)
    }
}
