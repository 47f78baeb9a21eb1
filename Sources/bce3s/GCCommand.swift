import ArgumentParser
import Foundation
import Pipeline
import Store

/// `bce3s gc`: deletes superseded versions of steps (`ExperimentStore.keysToKeep`), and
/// leftovers of interrupted runs.
struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Delete superseded versions of steps, with their files.",
        discussion: "A step is kept when a pipeline's latest (or latest successful) run used it, or when it is the "
            + "latest version of its step name that a run of its pipeline recorded, so that a partial run (--only, "
            + "figures, table) does not orphan the steps it left out. "
            + "Also removes staging leftovers and artifact directories the store does not know. "
            + "Checkpoints of interrupted steps (results/work/) are kept unless --work is given; so is what a failed or "
            + "killed --force rerun of a stored step left there.")

    @Flag(help: "Only print what would be deleted.") var dryRun = false
    @Flag(help: "Also delete checkpoints of interrupted steps.") var work = false
    @OptionGroup var results: ResultsOptions

    func run() throws {
        try CommandErrors.reporting {
            let layout = results.layout
            guard FileManager.default.fileExists(atPath: layout.store.path) else { throw StoreError.missing(layout.store) }
            // --dry-run only reads: no lock, no write access (it works on a read-only copy); like gc
            // it refuses while a run holds the folder, whose staging it would list.
            let lock = dryRun ? nil : try FileLock(layout.runLock, wait: false, holder: "`bce3s gc`")
            guard dryRun ? !FileLock.isHeld(layout.runLock) : lock != nil else {
                throw ValidationError("\(FileLock.holder(of: layout.runLock) ?? "another bce3s command") is using \(layout.root.path); "
                                      + "run gc when it has finished")
            }
            defer { withExtendedLifetime(lock) {} }
            let store = dryRun ? try ExperimentStore.openReadOnly(at: layout.store) : try ExperimentStore.openForWriting(at: layout.store)
            let plan = try GarbageCollection(store: store, layout: layout, includeWork: work)
            for path in plan.paths { print((dryRun ? "would delete " : "delete ") + path.path) }
            if !dryRun { try plan.apply(to: store) }
            print("\(dryRun ? "would drop" : "dropped") \(plan.droppedKeys.count) of \(plan.storedStepCount) stored steps, "
                  + "\(plan.paths.count) files or directories")
        }
    }
}
