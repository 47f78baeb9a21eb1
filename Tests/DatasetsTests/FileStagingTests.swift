import Foundation
import XCTest
@testable import Datasets

/// Staging folders name their owner, so the next one of the same purpose removes what a killed
/// process of this host left, and nothing of a live process or of another host.
final class FileStagingTests: XCTestCase {
    func testANewStagingFolderRemovesOnlyThoseOfDeadProcessesOfThisHost() throws {
        let parent = try temporaryDirectory(self)
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier, host = ProcessInfo.processInfo.hostName
        let names = [
            "abandoned": ".bce3s-extract-\(dead)@\(host)-\(UUID().uuidString)",
            "live": ".bce3s-extract-\(getpid())@\(host)-\(UUID().uuidString)",
            "other host": ".bce3s-extract-\(dead)@elsewhere.example.org-\(UUID().uuidString)",
            "other purpose": ".bce3s-synth-\(dead)@\(host)-\(UUID().uuidString)",
            "old style": ".bce3s-extract-\(UUID().uuidString)",
        ]
        for name in names.values {
            try FileManager.default.createDirectory(at: parent.appendingPathComponent(name + "/cifar-10-batches-py"),
                                                    withIntermediateDirectories: true)
        }
        let fresh = try FileStaging.makeTemporaryDirectory(in: parent, purpose: "extract")
        XCTAssertTrue(fresh.lastPathComponent.hasPrefix(".bce3s-extract-\(getpid())@\(host)-"), fresh.lastPathComponent)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: parent.path))
        XCTAssertEqual(left, Set(names.filter { $0.key != "abandoned" }.map(\.value) + [fresh.lastPathComponent]))
    }
}
