import ArgumentParser
import Foundation
import Pipeline
import Store

/// `bce3s show STEP`: everything the store knows about one step (by name or key prefix); for a
/// step that a run started and that has not finished, its job and the progress of its work so far.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a stored step: parameters, inputs, artifacts, metrics, timing and log; or an unfinished step's progress.")

    @Argument(help: ArgumentHelp("A step name (its latest result, under the name the pipeline gives it) or a prefix of at "
                                 + "least 6 characters of its cache key."))
    var step: String

    static let shortestPrefix = 6
    @OptionGroup var results: ResultsOptions

    func run() throws {
        try CommandErrors.reporting {
            let layout = results.layout
            let store = try ExperimentStore.openReadOnly(at: layout.store)
            let byKey = step.count >= Self.shortestPrefix ? try store.steps(keyPrefix: step) : []
            guard byKey.count <= 1 else {
                throw ValidationError("'\(step)' is the prefix of \(byKey.count) keys; give more characters")
            }
            guard let record = try byKey.first ?? store.latestStep(recordedAs: step) ?? store.latestStep(named: step) else {
                if try Self.printUnfinished(step, store: store, layout: layout) { return }
                let short = step.count < Self.shortestPrefix && step.allSatisfy(\.isHexDigit)
                    ? " (a key prefix needs at least \(Self.shortestPrefix) characters)" : ""
                throw ValidationError("no stored step is named '\(step)' or has a key starting with it\(short)")
            }
            let alias = byKey.isEmpty && record.name != step
                ? " (recorded as \(step); stored under the name it was first computed with, same cache key)" : ""
            print("step      \(record.name)\(alias)")
            print("key       \(record.key)")
            print("kind      \(record.kind) (version \(record.version))")
            print("status    \(record.status.rawValue)" + (record.error.map { ": \($0)" } ?? ""))
            print("params    \(record.paramsJSON)")
            print("ran       \(record.startedAt) .. \(record.finishedAt) (\(String(format: "%.2f", record.seconds)) s)")
            print("machine   \(record.machine ?? "not recorded (stored before bce3s recorded machines, schema v10)")")
            print("log       \(Self.located(layout.log(record.key)))")
            for input in try store.inputs(ofStep: record.key) {
                print("input     \(input.inputName)[\(input.position)] = \(input.inputStep) [\(input.inputKey.prefix(12))]")
            }
            for artifact in try store.artifacts(ofStep: record.key) {
                print("artifact  \(Self.located(layout.file(artifact.path)))  \(artifact.bytes) bytes  sha256 \(artifact.sha256.prefix(16))"
                      + (artifact.publishedPath.map { "  published as \(Self.located(layout.file($0)))" } ?? ""))
            }
            for metric in try store.metrics(ofStep: record.key) {
                let coordinates = [metric.split, metric.epoch.map { "epoch \($0)" }, metric.classIndex.map { "class \($0)" }]
                    .compactMap { $0 }.joined(separator: ", ")
                print("metric    \(metric.name) = \(metric.value)" + (coordinates.isEmpty ? "" : " (\(coordinates))"))
            }
        }
    }

    /// The file's path, marked when it is not in this results folder (a copied store without its
    /// artifacts, logs deleted by hand).
    static func located(_ file: URL) -> String {
        file.path + (FileManager.default.fileExists(atPath: file.path) ? "" : " (missing here)")
    }
}
