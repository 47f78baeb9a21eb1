import ArgumentParser
import Foundation
import Pipeline
import Store

/// `bce3s show STEP`: everything the store knows about one step (by name or key prefix).
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a stored step: parameters, inputs, artifacts, metrics, timing and log.")

    @Argument(help: "A step name (its latest result) or a prefix of its cache key.") var step: String
    @OptionGroup var results: ResultsOptions

    func run() throws {
        try CommandErrors.reporting {
            let layout = results.layout
            let store = try ExperimentStore.openReadOnly(at: layout.store)
            let byKey = step.count >= 6 ? try store.steps(keyPrefix: step) : []
            guard byKey.count <= 1 else {
                throw ValidationError("'\(step)' is the prefix of \(byKey.count) keys; give more characters")
            }
            guard let record = try byKey.first ?? store.latestStep(named: step) else {
                throw ValidationError("no stored step is named '\(step)' or has a key starting with it")
            }
            print("step      \(record.name)")
            print("key       \(record.key)")
            print("kind      \(record.kind) (version \(record.version))")
            print("status    \(record.status.rawValue)" + (record.error.map { ": \($0)" } ?? ""))
            print("params    \(record.paramsJSON)")
            print("ran       \(record.startedAt) .. \(record.finishedAt) (\(String(format: "%.2f", record.seconds)) s)")
            print("log       \(layout.log(record.key).path)")
            for input in try store.inputs(ofStep: record.key) {
                print("input     \(input.inputName)[\(input.position)] = \(input.inputStep) [\(input.inputKey.prefix(12))]")
            }
            for artifact in try store.artifacts(ofStep: record.key) {
                print("artifact  \(layout.file(artifact.path).path)  \(artifact.bytes) bytes  sha256 \(artifact.sha256.prefix(16))"
                      + (artifact.publishedPath.map { "  published as \(layout.file($0).path)" } ?? ""))
            }
            for metric in try store.metrics(ofStep: record.key) {
                let coordinates = [metric.split, metric.epoch.map { "epoch \($0)" }, metric.classIndex.map { "class \($0)" }]
                    .compactMap { $0 }.joined(separator: ", ")
                print("metric    \(metric.name) = \(metric.value)" + (coordinates.isEmpty ? "" : " (\(coordinates))"))
            }
        }
    }
}
