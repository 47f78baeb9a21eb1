import Foundation
import Store

/// The planner's cache view over the experiment store (or over no store yet: everything is new).
public struct StoreCache: CacheLookup {
    public var store: ExperimentStore?
    public var layout: ResultsLayout

    public init(store: ExperimentStore?, layout: ResultsLayout) {
        self.store = store
        self.layout = layout
    }

    public func step(key: String) throws -> CachedStep? {
        guard let store, let record = try store.step(key: key) else { return nil }
        return try cached(record, store: store)
    }

    public func previous(name: String) throws -> CachedStep? {
        guard let store, let record = try store.latestStep(named: name) else { return nil }
        return try cached(record, store: store)
    }

    private func cached(_ record: StepRecord, store: ExperimentStore) throws -> CachedStep {
        let inputs = try store.inputs(ofStep: record.key)
        let artifacts = record.status == .succeeded ? try store.artifacts(ofStep: record.key) : []
        let files = FileManager.default
        return CachedStep(
            key: record.key, name: record.name, kind: record.kind, version: record.version,
            parameters: try JSONDecoder().decode(Parameters.self, from: Data(record.paramsJSON.utf8)),
            succeeded: record.status == .succeeded, error: record.error, outputDigest: record.outputDigest,
            inputDigests: Dictionary(grouping: inputs, by: \.inputName).mapValues { $0.map(\.digest) },
            artifactsPresent: artifacts.allSatisfy { files.fileExists(atPath: layout.file($0.path).path) })
    }
}
