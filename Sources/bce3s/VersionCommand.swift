import ArgumentParser
import Foundation
import Pipeline

/// `bce3s version`: the code this binary was built from — what a run records as its code
/// version — and, with `--stamp`, writing that stamp (`make build` does, after compiling).
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the code version and dependencies this binary records in runs (`--version` too).",
        discussion: "The version comes from the build stamp beside the binary (BINARY.build.json, written by "
            + "`make build`); without one, from the working directory's git state. Copy the stamp with the "
            + "binary (renamed to match) to keep a binary's version when the checkout moves on.")

    @Flag(help: "Write the build stamp of this binary from the working directory's source tree (run right after building it).")
    var stamp = false

    func run() throws {
        let binary = RunCommand.executable
        let results = URL(fileURLWithPath: "results")
        if stamp {
            guard CodeVersion.sourceTree() != nil else {
                CommandErrors.printError("error: \(FileManager.default.currentDirectoryPath) is not in a bce3s source tree "
                                         + "(no Package.swift of the package bce3s at its git top); run `bce3s version --stamp` where the binary was built")
                throw ExitCode(1)
            }
            let written = try BuildStamp.write(codeVersion: CodeVersion.ofWorkingTree(resultsDirectory: results),
                                               dependencies: CodeVersion.dependenciesOfSourceTree(), for: binary)
            print("stamped \(BuildStamp.location(of: binary).path): code \(written.codeVersion)")
            return
        }
        switch CodeVersion.build {
        case .stamped(let stamp):
            print("bce3s \(stamp.codeVersion)")
            print("dependencies: \(stamp.dependencies ?? "unknown")")
            print("binary: \(binary.path) (SHA-256 \(stamp.binarySHA256.prefix(12))…, matches its build stamp)")
        case .missing, .stale:
            print("bce3s \(CodeVersion.ofWorkingTree(resultsDirectory: results)) (from the working directory; not stamped)")
            print("dependencies: \(CodeVersion.dependencies() ?? "unknown")")
            print("binary: \(binary.path)")
            if let warning = CodeVersion.warning(resultsDirectory: results) { CommandErrors.printError(warning) }
        }
    }
}
