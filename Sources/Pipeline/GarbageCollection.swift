import Foundation
import Store

/// What `bce3s gc` deletes, decided from the store and the results directory: the steps no
/// pipeline's latest (or latest successful) run used and that are not the latest version of
/// their step name either (`ExperimentStore.keysToKeep`), with their artifacts, logs,
/// checkpoints and published copies (unless a kept step publishes the same path); staging
/// leftovers of interrupted runs; artifact folders and logs the store does not know (a log
/// beside an unknown step's checkpoint stays with it); and, with `includeWork`,
/// checkpoints (`work/<key>/`) of steps the store does not keep or holds a succeeded result of (what
/// a failed or killed `--force` rerun left: the stored result does not need it).
/// Planning only reads, so a dry run works on a read-only store.
public struct GarbageCollection: Equatable {
    /// Cache keys of the stored steps to drop.
    public let droppedKeys: [String]
    /// How many steps the store held when the plan was made.
    public let storedStepCount: Int
    /// Existing files and directories to delete, sorted by path.
    public let paths: [URL]

    /// A store that knows no step beside a folder of artifacts is not the store those results came
    /// from (a fresh or replaced one): collecting would delete every result, so nothing is.
    public struct ForeignStoreError: Error, CustomStringConvertible {
        public let store: URL
        public let artifactFolders: Int
        public var description: String {
            "\(store.path) knows no step, yet \(store.deletingLastPathComponent().appendingPathComponent("artifacts").path) holds "
                + "\(artifactFolders) step folder\(artifactFolders == 1 ? "" : "s"): it is not the store these results came from; "
                + "restore that store (or move artifacts/ away) — gc deletes nothing"
        }
    }

    public init(store: ExperimentStore, layout: ResultsLayout, includeWork: Bool) throws {
        let keep = try store.keysToKeep()
        let steps = try store.allSteps()
        let artifactFolders = Self.entries(of: layout.artifactsRoot)
        guard !steps.isEmpty || artifactFolders.isEmpty else {
            throw ForeignStoreError(store: layout.store, artifactFolders: artifactFolders.count)
        }
        let dropped = steps.map(\.key).filter { !keep.contains($0) }
        let kept = Set(steps.map(\.key)).subtracting(dropped)
        var candidates = dropped.flatMap { [layout.artifacts($0), layout.log($0), layout.work($0)] }
        let keptPublished = Set(try store.publishedArtifacts(ofSteps: Array(kept)).compactMap(\.publishedPath))
        candidates += try store.publishedArtifacts(ofSteps: dropped).compactMap(\.publishedPath)
            .filter { PublishPath.isInside($0) && !keptPublished.contains($0) }.map(layout.file)
        candidates += Self.entries(of: layout.stagingRoot)
        candidates += artifactFolders.filter { !kept.contains($0.lastPathComponent) }
        let succeeded = Set(steps.filter { $0.status == .succeeded }.map(\.key))
        if includeWork {
            candidates += Self.entries(of: layout.workRoot).filter { folder in
                !kept.contains(folder.lastPathComponent) || succeeded.contains(folder.lastPathComponent)
            }
        }
        candidates += Self.entries(of: layout.log("-").deletingLastPathComponent()).filter { log in
            let key = log.deletingPathExtension().lastPathComponent
            return !kept.contains(key) && (includeWork || !FileManager.default.fileExists(atPath: layout.work(key).path))
        }
        let existing = Set(candidates.map(\.path).filter { FileManager.default.fileExists(atPath: $0) })
        droppedKeys = dropped
        storedStepCount = steps.count
        paths = existing.sorted().map { URL(fileURLWithPath: $0) }
    }

    /// Deletes the dropped steps from the store (one transaction), then the files.
    public func apply(to store: ExperimentStore) throws {
        try store.deleteSteps(keys: droppedKeys)
        for path in paths where FileManager.default.fileExists(atPath: path.path) { try FileManager.default.removeItem(at: path) }
    }

    private static func entries(of directory: URL) -> [URL] {
        (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
    }
}
