import Foundation
import XCTest

/// The code version a run records: the working directory's commit, `-dirty` when tracked files
/// outside the results directory differ from it — and not when only the results directory does,
/// as when a committed reference folder is regenerated, nor another tracked results folder (one
/// holding a `store.sqlite`), as when a run carried in git goes on training.
final class CodeVersionTests: CLITestCase {
    private func git(_ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"] + arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "git \(arguments.joined(separator: " "))")
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testChangesToTheResultsDirectoryDoNotMakeTheCodeDirty() throws {
        try write("steps:\n  - name: total\n    kind: sum\n    params: {publish: tables/total.txt}\n", to: "p.yaml")
        try write("notes\n", to: "notes.txt")
        try write("let package = Package(name: \"bce3s\")\n", to: "Package.swift")
        _ = try git("init", "-q")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        _ = try git("add", "-A")
        _ = try git("commit", "-q", "-m", "code and a committed results folder")
        let commit = try git("rev-parse", "--short=12", "HEAD")

        try write("edited by hand\n", to: "results/tables/total.txt")
        XCTAssertEqual(try bce3s("run", "p.yaml", "--force", "total").status, 0, "rewrites the tracked table and store")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("archive/ablation/work"),
                                                withIntermediateDirectories: true)
        try write("carried in git while it trains\n", to: "archive/ablation/store.sqlite")
        try write("checkpoint\n", to: "archive/ablation/work/state.safetensors")
        _ = try git("add", "archive")
        _ = try git("commit", "-q", "-m", "another results folder, tracked")
        let second = try git("rev-parse", "--short=12", "HEAD")
        try write("one more epoch\n", to: "archive/ablation/store.sqlite")
        try write("checkpoint after one more epoch\n", to: "archive/ablation/work/state.safetensors")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0, "another tracked results folder changed: not code")
        try write("changed\n", to: "notes.txt")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        let versions = try rows("SELECT code_version FROM run ORDER BY id").map { $0["code_version"] as? String }
        XCTAssertEqual(versions, ["unknown", commit, second, second + "-dirty"],
                       "no commit yet; results changed; another results folder changed; code changed")
    }

    /// Run from another project's repository, a run records neither that project's commit nor
    /// its `Package.resolved` as the code that made its results.
    func testAnotherProjectsRepositoryIsNotTheCodeOfARun() throws {
        try write("steps:\n  - name: total\n    kind: sum\n", to: "p.yaml")
        try write("let package = Package(name: \"other\")\n", to: "Package.swift")
        try write(#"{"pins":[{"identity":"grdb.swift","location":"https://github.com/groue/GRDB.swift.git","state":{"version":"0.0.1-FAKE"}}],"version":2}"#,
                  to: "Package.resolved")
        _ = try git("init", "-q")
        _ = try git("add", "-A")
        _ = try git("commit", "-q", "-m", "another project")
        XCTAssertEqual(try bce3s("run", "p.yaml").status, 0)
        let row = try XCTUnwrap(try rows("SELECT code_version, dependencies FROM run").first)
        XCTAssertEqual(row["code_version"] as? String, "unknown")
        XCTAssertTrue(row["dependencies"] is NSNull || row["dependencies"] == nil, "\(row)")
    }

    /// A binary stamped where it was built (`make build` runs `bce3s version --stamp`) records the
    /// code it was built from after the checkout moves on; rebuilt without restamping, its stale
    /// stamp is ignored with a warning and the checkout's version is recorded, as without one.
    func testAStampedBinaryRecordsTheCodeItWasBuiltFrom() throws {
        let built = try XCTUnwrap(Self.executable)
        let binary = directory.appendingPathComponent("bin/bce3s")
        try FileManager.default.createDirectory(at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: built, to: binary)
        try write("steps:\n  - name: total\n    kind: sum\n", to: "p.yaml")
        try write("let package = Package(name: \"bce3s\")\n", to: "Package.swift")
        try write("bin/\nresults/\n.*.out\n.*.err\n", to: ".gitignore")
        _ = try git("init", "-q")
        _ = try git("add", "-A")
        _ = try git("commit", "-q", "-m", "the code the binary is built from")
        let builtFrom = try git("rev-parse", "--short=12", "HEAD")
        let stamping = try finish(try start(["version", "--stamp"], binary: binary))
        XCTAssertEqual(stamping.status, 0, stamping.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("bin/bce3s.build.json").path))

        try write("let package = Package(name: \"bce3s\") // moved on\n", to: "Package.swift")
        _ = try git("commit", "-q", "-am", "the checkout moves on")
        let movedOn = try git("rev-parse", "--short=12", "HEAD")
        let version = try finish(try start(["--version"], binary: binary))
        XCTAssertEqual(version.status, 0, version.stderr)
        XCTAssertTrue(version.stdout.hasPrefix("bce3s \(builtFrom)\n"), version.stdout)
        let stampedRun = try finish(try start(["run", "p.yaml"], binary: binary))
        XCTAssertEqual(stampedRun.status, 0, stampedRun.stderr)
        XCTAssertFalse(stampedRun.stderr.contains("stamp"), stampedRun.stderr)

        let handle = try FileHandle(forWritingTo: binary)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()
        let staleRun = try finish(try start(["run", "p.yaml", "--force", "total"], binary: binary))
        XCTAssertEqual(staleRun.status, 0, staleRun.stderr)
        XCTAssertTrue(staleRun.stderr.contains("warning: build stamp ignored") && staleRun.stderr.contains("describes another binary"),
                      staleRun.stderr)
        let versions = try rows("SELECT code_version FROM run ORDER BY id").map { $0["code_version"] as? String }
        XCTAssertEqual(versions, [builtFrom, movedOn], "the stamp's commit; then, the stamp stale, the checkout's")
    }
}
