import Foundation
import XCTest

/// Runs the built `bce3s` binary in a temporary working directory.
class CLITestCase: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Removes the working directory; a subclass whose `setUp` skipped before creating it has none.
    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// The `bce3s` executable built next to the test bundle (`swift build --build-tests` builds both).
    static let executable: URL? = {
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
                          URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug")]
        return candidates.map { $0.appendingPathComponent("bce3s").standardizedFileURL }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    struct Output { var status: Int32; var stdout: String; var stderr: String }

    /// Starts `bce3s ARGS` (or another copy of it, `binary`) in the test directory, with this
    /// process's environment changed by `environment`; stdout and stderr go to files read by `finish`.
    func start(_ arguments: [String], tag: String = UUID().uuidString, binary: URL? = nil,
               environment: [String: String] = [:]) throws -> (Process, URL, URL) {
        let binary = try binary ?? XCTUnwrap(Self.executable, "bce3s was not built next to the tests; run `swift build --build-tests`")
        let out = directory.appendingPathComponent(".\(tag).out"), err = directory.appendingPathComponent(".\(tag).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return (process, out, err)
    }

    func finish(_ started: (Process, URL, URL)) throws -> Output {
        started.0.waitUntilExit()
        return Output(status: started.0.terminationStatus,
                      stdout: try String(contentsOf: started.1, encoding: .utf8),
                      stderr: try String(contentsOf: started.2, encoding: .utf8))
    }

    /// Runs `bce3s ARGS` to completion.
    @discardableResult
    func bce3s(_ arguments: String...) throws -> Output { try finish(try start(arguments)) }

    /// Runs a read-only query and returns its rows as JSON objects.
    func rows(_ sql: String) throws -> [[String: Any]] {
        let output = try bce3s("query", sql, "--format", "json")
        XCTAssertEqual(output.status, 0, output.stderr)
        return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]] ?? []
    }

    func write(_ text: String, to name: String) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Polls `condition` every 20 ms for up to `seconds`.
    func waitUntil(_ seconds: TimeInterval, _ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while try !condition() {
            guard Date() < deadline else { return XCTFail("timed out waiting for \(what)") }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}
