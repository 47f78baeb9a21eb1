import Foundation
import Pipeline

/// The code a run records (`run.code_version`, `run.dependencies`) and `status` compares stored
/// results with: the build stamp beside this binary when it is this binary's (`BuildStamp`,
/// written by `make build`), else the working directory's `git describe`, with `-dirty` when a tracked file differs from that commit
/// outside the results directory and outside every tracked results folder (a folder holding a
/// `store.sqlite`). Results are left out because runs write them: a committed reference folder
/// (`results/reference-full/`) would otherwise mark the code of every run that regenerates it
/// dirty, and one carried in git while it trains (`results/reference-ablation/`) the code of
/// every other run. `unknown` outside a repository, and in a repository that is not a bce3s
/// source tree (its top holds no `Package.swift` of the package `bce3s`): a binary run from
/// another project's folder must not record that project's commit.
///
/// Without a stamp (`swift build`, or a binary copied without its `.build.json`), a binary built
/// from older code than the tree's records the tree's version, not its own; `run` says so.
enum CodeVersion {
    /// The stamp beside this binary, checked once per process.
    static let build: BuildStamp.Lookup = BuildStamp.lookup(for: RunCommand.executable)

    /// The code version of this binary: its stamp's, else the working tree's.
    static func current(resultsDirectory: URL) -> String {
        if case .stamped(let stamp) = build { return stamp.codeVersion }
        return ofWorkingTree(resultsDirectory: resultsDirectory)
    }

    /// The Swift package versions of this binary: its stamp's, else the source tree's `Package.resolved`.
    static func dependencies() -> String? {
        if case .stamped(let stamp) = build { return stamp.dependencies }
        return dependenciesOfSourceTree()
    }

    /// The source tree's `Package.resolved` summary, ignoring any stamp; nil outside a bce3s tree.
    static func dependenciesOfSourceTree() -> String? { sourceTree().flatMap { DependencyVersions.current(in: $0) } }

    /// A warning for `run` when what it records may not be this binary's code: no stamp and the
    /// tree is a bce3s source tree, or a stale stamp; nil when the stamp is good or there is no tree.
    static func warning(resultsDirectory: URL) -> String? {
        switch build {
        case .stamped: return nil
        case .missing:
            guard sourceTree() != nil else { return nil }
            return "note: no build stamp beside \(RunCommand.executable.path) (`make build` writes one): runs record the "
                + "working tree's code version \(ofWorkingTree(resultsDirectory: resultsDirectory)), right only if this binary was built from it"
        case .stale(let reason):
            return "warning: build stamp ignored: \(reason); runs record the working tree's code version "
                + "\(ofWorkingTree(resultsDirectory: resultsDirectory)) instead"
        }
    }

    /// The working directory's code version (see the type's documentation), ignoring any stamp.
    static func ofWorkingTree(resultsDirectory: URL) -> String {
        guard sourceTree() != nil,
              let described = git(["describe", "--always", "--abbrev=12"]), described.status == 0, !described.output.isEmpty else {
            return "unknown"
        }
        var pathspec = [":/"]
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).resolvingSymlinksInPath().path
        let results = resultsDirectory.standardizedFileURL.resolvingSymlinksInPath().path
        if results.hasPrefix(here + "/") { pathspec.append(":(exclude)" + results.dropFirst(here.count + 1)) }
        let tracked = git(["ls-files", "--full-name", ":/"])?.output.split(separator: "\n") ?? []
        for store in tracked where store.hasSuffix("/store.sqlite") {
            pathspec.append(":(top,exclude)" + store.dropLast("/store.sqlite".count))
        }
        let changed = git(["diff", "--quiet", "HEAD", "--"] + pathspec)?.status == 1
        return described.output + (changed ? "-dirty" : "")
    }

    /// The top of the working directory's git repository when it is a bce3s source tree, else nil.
    static func sourceTree() -> URL? {
        guard let top = git(["rev-parse", "--show-toplevel"]), top.status == 0, !top.output.isEmpty else { return nil }
        let root = URL(fileURLWithPath: top.output)
        guard let manifest = try? String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8),
              manifest.contains(#"name: "bce3s""#) else { return nil }
        return root
    }

    /// Runs `git` in the working directory: its exit status and standard output, trimmed; nil if
    /// git cannot be started.
    private static func git(_ arguments: [String]) -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
