import ArgumentParser
import Foundation
import Pipeline
import Store

/// `bce3s gc`: deletes results no pipeline's latest run uses, and leftovers of interrupted runs.
struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Delete steps that no pipeline's latest (or latest successful) run used, with their files.",
        discussion: "Also removes staging leftovers and artifact directories the store does not know. "
            + "Checkpoints of interrupted steps (results/work/) are kept unless --work is given.")

    @Flag(help: "Only print what would be deleted.") var dryRun = false
    @Flag(help: "Also delete checkpoints of interrupted steps.") var work = false
    @OptionGroup var results: ResultsOptions

    func run() throws {
        try CommandErrors.reporting {
            let layout = results.layout
            guard FileManager.default.fileExists(atPath: layout.store.path) else { throw StoreError.missing(layout.store) }
            // --dry-run only reads: no lock, no write access (it works on a read-only copy).
            let lock = dryRun ? nil : try FileLock(layout.runLock, wait: false)
            guard dryRun || lock != nil else {
                throw ValidationError("a `bce3s run` is using \(layout.root.path); run gc when it has finished")
            }
            defer { withExtendedLifetime(lock) {} }
            let store = dryRun ? try ExperimentStore.openReadOnly(at: layout.store) : try ExperimentStore.openForWriting(at: layout.store)
            let keep = try store.keysOfLatestRuns()
            let steps = try store.allSteps()
            let dropped = steps.map(\.key).filter { !keep.contains($0) }
            let stored = Set(steps.map(\.key)).subtracting(dropped)
            var paths = dropped.flatMap { [layout.artifacts($0), layout.log($0), layout.work($0)] }
            paths += entries(of: layout.stagingRoot)
            paths += entries(of: layout.artifactsRoot).filter { !stored.contains($0.lastPathComponent) }
            if work { paths += entries(of: layout.workRoot).filter { !stored.contains($0.lastPathComponent) } }
            let existing = Array(Set(paths.filter { FileManager.default.fileExists(atPath: $0.path) }))
            for path in existing.sorted(by: { $0.path < $1.path }) { print((dryRun ? "would delete " : "delete ") + path.path) }
            if !dryRun {
                try store.deleteSteps(keys: dropped)
                for path in existing { try FileManager.default.removeItem(at: path) }
            }
            print("\(dryRun ? "would drop" : "dropped") \(dropped.count) of \(steps.count) stored steps, "
                  + "\(existing.count) files or directories")
        }
    }

    private func entries(of directory: URL) -> [URL] {
        (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
    }
}
