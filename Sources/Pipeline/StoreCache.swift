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

    public func metric(key: String, name: String) throws -> Double? {
        try store?.metrics(ofStep: key).first { $0.name == name && $0.epoch == nil && $0.classIndex == nil }?.value
    }

    private func cached(_ record: StepRecord, store: ExperimentStore) throws -> CachedStep {
        let inputs = try store.inputs(ofStep: record.key)
        let artifacts = record.status == .succeeded ? try store.artifacts(ofStep: record.key) : []
        return CachedStep(
            key: record.key, name: record.name, kind: record.kind, version: record.version,
            parameters: try JSONDecoder().decode(Parameters.self, from: Data(record.paramsJSON.utf8)),
            succeeded: record.status == .succeeded, error: record.error, outputDigest: record.outputDigest,
            inputDigests: Dictionary(grouping: inputs, by: \.inputName).mapValues { $0.map(\.digest) },
            artifactProblem: artifacts.lazy.compactMap(problem).first,
            inputSteps: Dictionary(grouping: inputs, by: \.inputName).mapValues { $0.map(\.inputStep) })
    }

    /// Nil when the artifact's file is on disk with the size and SHA-256 the store recorded, else
    /// what is wrong: a reused result is checked before any dependent reads it (cheap next to training).
    private func problem(_ artifact: ArtifactRecord) -> String? {
        let url = layout.file(artifact.path)
        guard FileManager.default.fileExists(atPath: url.path) else { return "\(artifact.path) is missing" }
        guard let (sha256, bytes) = try? Digest.sha256(file: url) else { return "\(artifact.path) cannot be read" }
        if bytes != artifact.bytes { return "\(artifact.path) has \(bytes) bytes, the store recorded \(artifact.bytes)" }
        if sha256 != artifact.sha256 { return "\(artifact.path) changed on disk (its SHA-256 is not the recorded one)" }
        return nil
    }
}
