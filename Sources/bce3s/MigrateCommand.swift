import ArgumentParser
import Foundation
import Pipeline
import Store

/// `bce3s migrate`: brings a results folder's store up to this binary's schema without running
/// anything. Every `bce3s run` does this first; reading commands refuse an outdated store rather
/// than write to it, so a folder that is only read (a committed reference run) needs this once.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Upgrade a results folder's store to this bce3s's schema, without running any step.",
        discussion: "Applies the schema migrations the store lacks, in one transaction each, and names them. "
            + "Results are not changed; views may gain columns. A current store is only read; a store in a "
            + "rollback journal (a committed one) is left in that mode.")

    @OptionGroup var results: ResultsOptions

    func run() throws {
        try CommandErrors.reporting {
            let layout = results.layout
            guard FileManager.default.fileExists(atPath: layout.store.path) else { throw StoreError.missing(layout.store) }
            if try ExperimentStore.isUpToDate(at: layout.store) {
                print("\(layout.store.path): schema up to date")
                return
            }
            let lockExisted = FileManager.default.fileExists(atPath: layout.runLock.path)
            guard let lock = try FileLock(layout.runLock, wait: false, holder: "`bce3s migrate`") else {
                throw ValidationError("\(FileLock.holder(of: layout.runLock) ?? "another bce3s command") is using \(layout.root.path); "
                                      + "migrate when it has finished (a run migrates the store itself)")
            }
            // A folder nobody runs in (a committed reference) is left without a lock file.
            defer { withExtendedLifetime(lock) { if !lockExisted { try? FileManager.default.removeItem(at: layout.runLock) } } }
            let applied = try ExperimentStore.migrate(at: layout.store)
            print(applied.isEmpty ? "\(layout.store.path): schema up to date"
                                  : "\(layout.store.path): applied \(applied.joined(separator: ", "))")
        }
    }
}
