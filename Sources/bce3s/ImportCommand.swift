import ArgumentParser
import Foundation
import Pipeline
import Store

/// `bce3s import`: copies succeeded steps from another results folder into this one
/// (`ResultsImport`), so that runs made apart — on another machine, on a cluster, in a scratch
/// folder — share one store, one set of tables and one ledger.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Copy succeeded steps (store rows, artifacts, logs and the runs that computed them) from another results folder.",
        discussion: "Steps are matched by cache key: one this folder already stores is left as it is, and a step's inputs "
            + "come with it unless this folder has them. Each artifact is checked against its stored SHA-256; the store "
            + "is written in one transaction, after the files are in place, so a failure leaves it as it was. The runs "
            + "that computed the steps are copied too (their pipeline, command and code version), and the import itself "
            + "is recorded as a run whose pipeline is `import`. The other folder is only read, even while a run goes on "
            + "there. Published copies (tables, figures, report) are not copied: `bce3s table`, `figures` and `report` "
            + "rebuild them here.")

    @Option(help: "The results folder to copy from.") var from: String
    @Option(name: .customLong("step"), help: "Import the steps of this name or shell pattern and the inputs they need (repeatable; default: every succeeded step, leaving out, with a note, those whose files the other folder lacks). Only current versions count: those the other folder's `gc` would keep.")
    var steps: [String] = []
    @Flag(help: "Only print what would be imported.") var dryRun = false
    @OptionGroup var results: ResultsOptions

    func run() throws {
        try CommandErrors.reporting {
            let destination = results.layout, source = ResultsLayout(root: URL(fileURLWithPath: from))
            guard source.root.resolvingSymlinksInPath() != destination.root.resolvingSymlinksInPath() else {
                throw ValidationError("--from and --results are the same folder (\(destination.root.path))")
            }
            let sourceStore = try ExperimentStore.openReadOnly(at: source.store)
            let folderExisted = FileManager.default.fileExists(atPath: destination.root.path)
            let lockExisted = FileManager.default.fileExists(atPath: destination.runLock.path)
            let lock = dryRun ? nil : try FileLock(destination.runLock, wait: false, holder: "`bce3s import`")
            guard dryRun || lock != nil else {
                throw ValidationError("\(FileLock.holder(of: destination.runLock) ?? "another bce3s command") is using "
                                      + "\(destination.root.path); import when it has finished")
            }
            // A folder nobody runs in (a committed reference) is left without a lock file, and one
            // made only to import nothing is taken away again.
            defer {
                withExtendedLifetime(lock) {
                    if lock != nil && !lockExisted { try? FileManager.default.removeItem(at: destination.runLock) }
                    if !folderExisted, (try? FileManager.default.contentsOfDirectory(atPath: destination.root.path))?.isEmpty == true {
                        try? FileManager.default.removeItem(at: destination.root)
                    }
                }
            }
            let hasStore = FileManager.default.fileExists(atPath: destination.store.path)
            let here = hasStore ? try Self.succeededKeys(try ExperimentStore.openReadOnly(at: destination.store)) : []
            let plan = try ResultsImport(source: source, sourceStore: sourceStore, storedHere: here,
                                         patterns: steps)
            for step in plan.alreadyHere { print("already here: \(step.name) [\(step.key.prefix(12))]") }
            for ingest in plan.steps {
                let bytes = ingest.artifacts.reduce(0) { $0 + $1.bytes }
                print("\(dryRun ? "would import" : "import") \(ingest.step.name) [\(ingest.step.key.prefix(12))]: "
                      + "\(ingest.artifacts.count) artifact\(ingest.artifacts.count == 1 ? "" : "s") (\(Self.size(bytes))), "
                      + "\(ingest.metrics.count) metric\(ingest.metrics.count == 1 ? "" : "s")")
            }
            for note in plan.missingInputs { CommandErrors.printError("note: \(note)") }
            for step in plan.leftOut { CommandErrors.printError("note: not imported: \(step)") }
            let count = "\(plan.steps.count) step\(plan.steps.count == 1 ? "" : "s")"
            guard !plan.steps.isEmpty else {
                if !plan.leftOut.isEmpty {
                    print("nothing to import: every finished step of \(source.root.path) that is not already here was left out "
                          + "(notes above)")
                } else {
                    print(plan.alreadyHere.isEmpty ? "nothing to import: \(source.root.path) holds no finished step yet"
                                                   : "nothing to import: \(destination.root.path) already holds every selected step")
                }
                return
            }
            guard !dryRun else {
                print("would import \(count) and the \(plan.runs.count) run\(plan.runs.count == 1 ? "" : "s") that computed them")
                return
            }
            let record = RunRecord(pipeline: "import", pipelineSHA256: "", argv: CommandLine.arguments.joined(separator: " "),
                                   startedAt: Date(), finishedAt: Date(), status: .succeeded,
                                   codeVersion: CodeVersion.current(resultsDirectory: destination.root),
                                   dependencies: CodeVersion.dependencies())
            let (copied, superseded) = try ExperimentStore.keepingJournalMode(at: destination.store) { store in
                defer { try? store.checkpointLog() }
                let copied = try plan.apply(from: source, to: destination, store: store, record: record)
                let kept = try store.keysToKeep()
                return (copied, plan.steps.map(\.step).filter { !kept.contains($0.key) })
            }
            for step in superseded {
                CommandErrors.printError("note: \(step.name) [\(step.key.prefix(12))] is older here than this folder's own version of "
                                         + "that step (its run started earlier), so `bce3s gc` would delete it")
            }
            print("imported \(count) into \(destination.root.path) (\(copied) run\(copied == 1 ? "" : "s") copied for their provenance)")
        }
    }

    private static func succeededKeys(_ store: ExperimentStore) throws -> Set<String> {
        Set(try store.allSteps().filter { $0.status == .succeeded }.map(\.key))
    }

    /// "59.1 MB", "812 bytes".
    private static func size(_ bytes: Int64) -> String {
        bytes < 100_000 ? "\(bytes) bytes" : String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
