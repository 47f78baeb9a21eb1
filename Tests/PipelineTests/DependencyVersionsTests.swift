import XCTest
import Foundation
@testable import Pipeline

/// `run.dependencies` comes from `Package.resolved`: every pin as "name version", sorted.
final class DependencyVersionsTests: XCTestCase {
    func testSummaryNamesEveryPinWithItsVersion() {
        let resolved = #"""
        {"originHash": "x", "pins": [
          {"identity": "yams", "kind": "remoteSourceControl", "location": "https://github.com/jpsim/Yams",
           "state": {"revision": "0123456789abcdef0123", "version": "6.2.2"}},
          {"identity": "grdb.swift", "kind": "remoteSourceControl", "location": "https://github.com/groue/GRDB.swift",
           "state": {"revision": "a60dcff33d97a98b21425f1894587145d3efda50", "version": "7.10.0"}},
          {"identity": "swift-asn1", "kind": "remoteSourceControl", "location": "https://github.com/apple/swift-asn1.git",
           "state": {"revision": "d619dd5bb47ba9ea182340c612ae38c70c78d97e"}}
        ], "version": 3}
        """#
        XCTAssertEqual(DependencyVersions.summary(ofPackageResolved: Data(resolved.utf8)),
                       "GRDB.swift 7.10.0, swift-asn1 d619dd5bb47b, Yams 6.2.2")
        XCTAssertNil(DependencyVersions.summary(ofPackageResolved: Data("not json".utf8)))
    }

    func testTheCommittedPackageResolvedIsReadable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        let summary = try XCTUnwrap(DependencyVersions.current(in: root))
        XCTAssertTrue(summary.contains("GRDB.swift 7.10.0"), summary)
    }
}
