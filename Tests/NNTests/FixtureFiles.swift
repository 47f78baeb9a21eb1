import Foundation
import XCTest

/// Locates the committed fixture files of this test target (copied as the `Fixtures` resource
/// folder) and makes throwaway directories for files the tests write.
enum FixtureFiles {
    static func url(_ name: String) -> URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(name)))
    }

    /// A fresh empty directory under the system temporary directory, removed after the test.
    static func temporaryDirectory(for test: XCTestCase) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("bce3s-nn-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }
}
