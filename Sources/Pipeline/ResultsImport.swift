import Foundation
import Store

/// `bce3s import`: brings succeeded steps of another results folder into this one — their store
/// rows, artifact files and logs, and the runs that computed them — so that results made apart
/// (a training on another machine or a cluster, a backbone run finished in a scratch folder)
/// join one store that tables, figures, the ledger and SQL see together.
///
/// Cache keys are content hashes, so a step means the same in both folders: a key already stored
/// here as succeeded is left alone, and a step's inputs come with it unless this folder has them.
/// Planning only reads both folders. Applying copies each step's files into `staging/` first,
/// checks every artifact's SHA-256 against its row, moves the folder into `artifacts/`, and only
/// then writes the store, in one transaction: a failure or a kill leaves the store as it was
/// (a moved folder the store does not know is what `bce3s gc` clears, and a rerun replaces it).
public struct ResultsImport {
    /// The steps to copy, inputs before the steps that use them.
    public let steps: [StepIngest]
    /// Selected steps this folder already stores as succeeded (same key): nothing to copy.
    public let alreadyHere: [StepRecord]
    /// The source's runs that computed the copied steps, with their entries for them.
    public let runs: [ImportedRun]
    /// Inputs of selected steps that neither folder stores: "input 'data' of train [abc…] (data [def…])".
    public let missingInputs: [String]
    /// Without patterns only: the steps left out because a file of theirs is not in the source (a
    /// folder committed without some artifacts), or because they need such a step, each with why.
    public let leftOut: [String]

    /// Why a source folder cannot be imported.
    public struct ImportError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Plans the import of the succeeded steps of `source` whose names match one of `patterns`
    /// (names or shell patterns, each of which must match a step; none: every step) among the versions the source
    /// keeps (`keysToKeep`: what its `bce3s gc` would not delete), with the inputs they need,
    /// into a folder whose store holds the succeeded steps `storedHere` (their keys). When an
    /// artifact file of a step to copy is missing, throws if `patterns` asked for steps by name;
    /// with none (every step), leaves that step and the steps that need it out (`leftOut`).
    public init(source: ResultsLayout, sourceStore: ExperimentStore, storedHere here: Set<String>, patterns: [String]) throws {
        let kept = try sourceStore.keysToKeep()
        let succeeded = try sourceStore.allSteps().filter { $0.status == .succeeded }
        let stored = succeeded.filter { kept.contains($0.key) }.sorted { ($0.finishedAt, $0.key) < ($1.finishedAt, $1.key) }
        var selected: [StepRecord] = patterns.isEmpty ? stored : []
        for pattern in patterns {
            let matching = stored.filter { PipelineGraph.matches($0.name, pattern) }
            guard !matching.isEmpty else {
                throw ImportError(description: "no current succeeded step of \(source.store.path) is called '\(pattern)'"
                                  + NearestName.hint(for: pattern, among: Array(Set(stored.map(\.name))).sorted()))
            }
            selected += matching.filter { step in !selected.contains { $0.key == step.key } }
        }
        let succeededThere = Set(succeeded.map(\.key))
        var ordered: [StepIngest] = [], visited: Set<String> = [], missing: [String] = []
        func visit(_ key: String) throws {
            guard visited.insert(key).inserted, !here.contains(key), var ingest = try sourceStore.stepIngest(key: key) else { return }
            // The people-facing copies (`tables/…`, `figures/…`) are the source folder's; here the
            // table, figures and report commands write their own.
            ingest.artifacts = ingest.artifacts.map { var artifact = $0; artifact.publishedPath = nil; return artifact }
            for input in ingest.inputs {
                if succeededThere.contains(input.inputKey) { try visit(input.inputKey) } else if !here.contains(input.inputKey) {
                    missing.append("input '\(input.inputName)' of \(ingest.step.name) [\(ingest.step.key.prefix(12))] "
                                   + "(\(input.inputStep) [\(input.inputKey.prefix(12))]) is in neither store")
                }
            }
            ordered.append(ingest)
        }
        for step in selected { try visit(step.key) }
        var dropped: [String: String] = [:]   // key → why it is left out
        for ingest in ordered {   // inputs come before the steps that use them
            let name = "\(ingest.step.name) [\(ingest.step.key.prefix(12))]"
            if let input = ingest.inputs.first(where: { dropped[$0.inputKey] != nil }) {
                dropped[ingest.step.key] = "\(name): needs \(input.inputStep) [\(input.inputKey.prefix(12))], left out"
                continue
            }
            for artifact in ingest.artifacts {
                let file = try Self.artifactFile(artifact, in: source)
                guard !FileManager.default.fileExists(atPath: file.path) else { continue }
                guard patterns.isEmpty else {
                    throw ImportError(description: "\(file.path): missing, so step \(name) "
                                      + "cannot be imported (a folder copied or committed without that file?); nothing was imported")
                }
                dropped[ingest.step.key] = "\(name): \(file.path) is missing (a folder committed without that file?)"
                break
            }
        }
        let importable = ordered.filter { dropped[$0.step.key] == nil }
        let copied = Set(importable.map(\.step.key))
        steps = importable
        leftOut = ordered.compactMap { dropped[$0.step.key] }
        alreadyHere = selected.filter { here.contains($0.key) }
        runs = try sourceStore.runsThatRan(copied, recording: copied.union(here))
        missingInputs = missing
    }

    /// Copies the files, then writes the store in one transaction; `record` is the run that
    /// records the import (pipeline `import`, the command, the code). Returns the number of runs
    /// copied anew.
    @discardableResult
    public func apply(from source: ResultsLayout, to destination: ResultsLayout, store: ExperimentStore, record: RunRecord) throws -> Int {
        var placed: [URL] = []
        let stagingExisted = FileManager.default.fileExists(atPath: destination.stagingRoot.path)
        defer {
            // A staging folder made only for this import goes again (a committed folder has none).
            if !stagingExisted, (try? FileManager.default.contentsOfDirectory(atPath: destination.stagingRoot.path))?.isEmpty == true {
                try? FileManager.default.removeItem(at: destination.stagingRoot)
            }
        }
        do {
            for ingest in steps {
                if try placeArtifacts(of: ingest, from: source, to: destination) { placed.append(destination.artifacts(ingest.step.key)) }
                try Self.copyLog(of: ingest.step.key, from: source, to: destination)
            }
            return try store.importSteps(steps, runs: runs, record: record)
        } catch {
            for folder in placed { try? FileManager.default.removeItem(at: folder) }
            throw error
        }
    }

    /// Copies the step's artifact files into `staging/import-<key>/`, checks each against its
    /// stored SHA-256 and size, and moves the folder to `artifacts/<key>/` (replacing a folder the
    /// store does not know). Returns whether a folder was placed.
    private func placeArtifacts(of ingest: StepIngest, from source: ResultsLayout, to destination: ResultsLayout) throws -> Bool {
        guard !ingest.artifacts.isEmpty else { return false }
        let key = ingest.step.key, files = FileManager.default
        let staging = destination.staging("import-" + key)
        try? files.removeItem(at: staging)
        defer { try? files.removeItem(at: staging) }
        for artifact in ingest.artifacts {
            let from = try Self.artifactFile(artifact, in: source)
            let relative = String(artifact.path.dropFirst("artifacts/\(key)/".count))
            let to = staging.appendingPathComponent(relative)
            try files.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            try files.copyItem(at: from, to: to)
            let copy = try Digest.sha256(file: to)
            guard copy.sha256 == artifact.sha256 && copy.bytes == artifact.bytes else {
                throw ImportError(description: "\(from.path): its SHA-256 is \(copy.sha256) (\(copy.bytes) bytes) where the store "
                                  + "records \(artifact.sha256) (\(artifact.bytes) bytes) for step \(ingest.step.name) "
                                  + "[\(key.prefix(12))]: the file changed after the step ran; nothing was imported")
            }
        }
        try? files.removeItem(at: destination.artifacts(key))
        try files.createDirectory(at: destination.artifactsRoot, withIntermediateDirectories: true)
        try files.moveItem(at: staging, to: destination.artifacts(key))
        return true
    }

    /// The step's worker log, when the source has one and this folder does not (written beside and renamed).
    private static func copyLog(of key: String, from source: ResultsLayout, to destination: ResultsLayout) throws {
        let from = source.log(key), to = destination.log(key), files = FileManager.default
        guard files.fileExists(atPath: from.path), !files.fileExists(atPath: to.path) else { return }
        let partial = to.deletingLastPathComponent().appendingPathComponent(".\(key).log.importing")
        try files.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? files.removeItem(at: partial)
        try files.copyItem(at: from, to: partial)
        try files.moveItem(at: partial, to: to)
    }

    /// Where an artifact's file lies in `layout`; its stored path must be inside `artifacts/<key>/`.
    private static func artifactFile(_ artifact: ArtifactRecord, in layout: ResultsLayout) throws -> URL {
        let prefix = "artifacts/\(artifact.stepKey)/"
        guard artifact.path.hasPrefix(prefix), !artifact.path.split(separator: "/").contains("..") else {
            throw ImportError(description: "\(layout.store.path): artifact '\(artifact.name)' of step [\(artifact.stepKey.prefix(12))] "
                              + "is stored at '\(artifact.path)', outside \(prefix); nothing was imported")
        }
        return layout.file(artifact.path)
    }
}
