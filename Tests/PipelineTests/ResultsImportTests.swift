import Foundation
import XCTest
import Store
@testable import Pipeline

/// `ResultsImport` (`bce3s import`): succeeded steps of one results folder join another's store,
/// files and provenance, checked and all-or-nothing; on real stores filled by the coordinator.
final class ResultsImportTests: XCTestCase {
    var directory: URL!
    var source: ResultsLayout!
    var destination: ResultsLayout!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString)")
        source = ResultsLayout(root: directory.appendingPathComponent("elsewhere"))
        destination = ResultsLayout(root: directory.appendingPathComponent("results"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// Runs `yaml` into `layout` as pipeline `pipeline`, its run recorded with code version `code`.
    private func run(_ yaml: String, in layout: ResultsLayout, pipeline: String, code: String) throws {
        let registry = testRegistry(ExecutionLog())
        let coordinator = Coordinator(graph: try graph(yaml, registry: registry), layout: layout,
                                      store: try ExperimentStore.openForWriting(at: layout.store),
                                      executor: InProcessExecutor(registry: registry),
                                      options: RunOptions(jobs: 1, dataDirectory: directory))
        let summary = try coordinator.run(RunRecord(pipeline: pipeline, pipelineSHA256: "", argv: "bce3s run \(pipeline)",
                                                    startedAt: Date(), status: .running, codeVersion: code))
        XCTAssertTrue(summary.succeeded)
    }

    private let chain = "steps:\n  - {name: a, kind: const, params: {value: 3}}\n  - {name: b, kind: add, params: {offset: 4}, inputs: {x: a}}\n"

    private func importRecord() -> RunRecord {
        RunRecord(pipeline: "import", pipelineSHA256: "", argv: "bce3s import", startedAt: Date(), finishedAt: Date(),
                  status: .succeeded, codeVersion: "importer")
    }

    private func plan(_ patterns: [String]) throws -> ResultsImport {
        let here = FileManager.default.fileExists(atPath: destination.store.path)
            ? Set(try ExperimentStore.openReadOnly(at: destination.store).allSteps().filter { $0.status == .succeeded }.map(\.key)) : []
        return try ResultsImport(source: source, sourceStore: try ExperimentStore.openReadOnly(at: source.store),
                                 storedHere: here, patterns: patterns)
    }

    /// `b` is imported with its input `a`: rows, metrics, files (byte for byte), the run that
    /// computed them with its code version, and `gc` keeps them. A second import finds nothing new.
    func testAStepComesWithItsInputsFilesAndTheRunThatComputedIt() throws {
        try run(chain, in: source, pipeline: "pipelines/gap.yaml", code: "abc123")
        try run("steps:\n  - {name: c, kind: const, params: {value: 9}}\n", in: destination, pipeline: "pipelines/main.yaml", code: "def456")
        let from = try ExperimentStore.openReadOnly(at: source.store)
        let b = try XCTUnwrap(from.latestStep(named: "b")), a = try XCTUnwrap(from.latestStep(named: "a"))

        let plan = try self.plan(["b"])
        XCTAssertEqual(plan.steps.map(\.step.name), ["a", "b"], "the input first")
        XCTAssertEqual(plan.runs.map(\.run.codeVersion), ["abc123"])
        let store = try ExperimentStore.openForWriting(at: destination.store)
        XCTAssertEqual(try plan.apply(from: source, to: destination, store: store, record: importRecord()), 1)

        for key in [a.key, b.key] {
            let imported = try XCTUnwrap(store.stepIngest(key: key)), original = try XCTUnwrap(from.stepIngest(key: key))
            XCTAssertEqual(imported.step, original.step)
            XCTAssertEqual(imported.inputs, original.inputs)
            XCTAssertEqual(imported.metrics, original.metrics)
            XCTAssertEqual(imported.artifacts.map(\.sha256), original.artifacts.map(\.sha256))
            for artifact in imported.artifacts {
                XCTAssertEqual(try Data(contentsOf: destination.file(artifact.path)), try Data(contentsOf: source.file(artifact.path)))
            }
            XCTAssertEqual(try store.codeVersionThatComputed(key: key), "abc123", "the code that computed it, not the importer's")
        }
        XCTAssertEqual(try String(contentsOf: destination.file("artifacts/\(b.key)/value.txt"), encoding: .utf8), "7")
        XCTAssertEqual(try store.runs().map(\.pipeline), ["pipelines/gap.yaml", "pipelines/main.yaml", "import"],
                       "the copied run ranks by its start, before this folder's own")
        XCTAssertTrue(try store.keysToKeep().isSuperset(of: [a.key, b.key]), "gc keeps what was imported")
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: destination.stagingRoot.path)) ?? [], [],
                       "nothing left in staging")

        let again = try self.plan([])
        XCTAssertEqual(again.steps.count, 0)
        XCTAssertEqual(Set(again.alreadyHere.map(\.key)), [a.key, b.key])
    }

    /// A copied run keeps its start, so a version of a step computed earlier elsewhere does not
    /// displace the one this folder's later run made: `gc` keeps this folder's, drops the import.
    func testAnOlderVersionImportedFromElsewhereDoesNotDisplaceTheCurrentOne() throws {
        try run(chain, in: source, pipeline: "pipelines/p.yaml", code: "old")
        try run(chain.replacingOccurrences(of: "value: 3", with: "value: 5"), in: destination, pipeline: "pipelines/p.yaml", code: "new")
        let store = try ExperimentStore.openForWriting(at: destination.store)
        let current = try store.keysToKeep()
        let plan = try self.plan(["b"])
        XCTAssertEqual(plan.steps.count, 2)
        try plan.apply(from: source, to: destination, store: store, record: importRecord())
        XCTAssertEqual(try store.keysToKeep(), current, "the imported, earlier versions are superseded here")
        XCTAssertEqual(Set(try GarbageCollection(store: store, layout: destination, includeWork: false).droppedKeys),
                       Set(plan.steps.map(\.step.key)))
    }

    /// An artifact whose bytes no longer match its stored SHA-256 stops the import before the
    /// store changes, and the files copied so far are taken away again.
    func testAChangedArtifactImportsNothing() throws {
        try run(chain, in: source, pipeline: "pipelines/p.yaml", code: "abc")
        let b = try XCTUnwrap(try ExperimentStore.openReadOnly(at: source.store).latestStep(named: "b"))
        let tampered = source.file("artifacts/\(b.key)/value.txt")
        try "8".write(to: tampered, atomically: true, encoding: .utf8)
        let plan = try self.plan(["b"])
        let store = try ExperimentStore.openForWriting(at: destination.store)
        XCTAssertThrowsError(try plan.apply(from: source, to: destination, store: store, record: importRecord())) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(tampered.path): its SHA-256 is "), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("the file changed after the step ran; nothing was imported"), "\(error)")
        }
        XCTAssertEqual(try store.allSteps().count, 0)
        XCTAssertEqual(try store.runs().count, 0)
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: destination.artifactsRoot.path)) ?? [], [])
    }

    /// An input that neither folder stores (deleted from the source) is named, and the step still comes.
    func testAnInputInNeitherStoreIsNamedAndTheStepStillComes() throws {
        try run(chain, in: source, pipeline: "pipelines/p.yaml", code: "abc")
        let writable = try ExperimentStore.openForWriting(at: source.store)
        let a = try XCTUnwrap(writable.latestStep(named: "a")), b = try XCTUnwrap(writable.latestStep(named: "b"))
        try writable.deleteSteps(keys: [a.key])
        let plan = try self.plan(["b"])
        XCTAssertEqual(plan.steps.map(\.step.name), ["b"])
        XCTAssertEqual(plan.missingInputs, ["input 'x' of b [\(b.key.prefix(12))] (a [\(a.key.prefix(12))]) is in neither store"])
    }

    /// A missing artifact file is found while planning (so `--dry-run` reports it too), and a
    /// name that matches no current step is refused with the nearest name.
    func testAMissingFileOrAnUnknownNameIsRefusedWhilePlanning() throws {
        try run(chain, in: source, pipeline: "pipelines/p.yaml", code: "abc")
        XCTAssertThrowsError(try plan(["bb"])) { error in
            XCTAssertEqual("\(error)", "no current succeeded step of \(source.store.path) is called 'bb' (did you mean 'b'?)")
        }
        let a = try XCTUnwrap(try ExperimentStore.openReadOnly(at: source.store).latestStep(named: "a"))
        let missing = source.file("artifacts/\(a.key)/value.txt")
        try FileManager.default.removeItem(at: missing)
        XCTAssertThrowsError(try plan(["b"])) { error in
            XCTAssertEqual("\(error)", "\(missing.path): missing, so step a [\(a.key.prefix(12))] cannot be imported "
                           + "(a folder copied or committed without that file?); nothing was imported")
        }
    }

    /// Importing every step (no pattern) from a folder committed without some files leaves out
    /// the steps whose files are missing and the steps that need them, saying why, and copies the rest.
    func testEveryStepLeavesOutThoseWhoseFilesAreMissing() throws {
        try run(chain + "  - {name: c, kind: const, params: {value: 5}}\n", in: source, pipeline: "pipelines/p.yaml", code: "abc")
        let stored = try ExperimentStore.openReadOnly(at: source.store)
        let a = try XCTUnwrap(stored.latestStep(named: "a")), b = try XCTUnwrap(stored.latestStep(named: "b"))
        let missing = source.file("artifacts/\(a.key)/value.txt")
        try FileManager.default.removeItem(at: missing)
        let plan = try self.plan([])
        XCTAssertEqual(plan.steps.map(\.step.name), ["c"])
        XCTAssertEqual(plan.leftOut, ["a [\(a.key.prefix(12))]: \(missing.path) is missing (a folder committed without that file?)",
                                      "b [\(b.key.prefix(12))]: needs a [\(a.key.prefix(12))], left out"])
        try plan.apply(from: source, to: destination, store: try ExperimentStore.openForWriting(at: destination.store),
                       record: importRecord())
        XCTAssertEqual(try ExperimentStore.openReadOnly(at: destination.store).allSteps().map(\.name), ["c"])
    }
}
