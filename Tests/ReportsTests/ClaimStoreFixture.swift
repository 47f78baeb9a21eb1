import Foundation
import XCTest
import Reports
import Store

/// A temporary store filled by hand with train, analyse and table steps, for the ledger tests.
final class ClaimStoreFixture {
    let directory: URL
    let store: ExperimentStore
    let runID: Int64
    private var count = 0

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("claims-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try ExperimentStore.openForWriting(at: directory.appendingPathComponent("store.sqlite"))
        runID = try store.beginRun(RunRecord(pipeline: "pipelines/p.yaml", pipelineSHA256: "abc", argv: "bce3s run pipelines/p.yaml",
                                             startedAt: Date(timeIntervalSince1970: 0), status: .running, codeVersion: "test"))
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// A succeeded train step; `extra` adds parameters (e.g. `"set_recipe": ["precision": "bf16"]`).
    @discardableResult
    func train(_ method: String, seed: Int, metrics: [String: Double], dataset: String = "cifar10", imbalance: Int = 100,
               epochs: Int = 200, recipe: String = "ldam", extra: [String: Any] = [:]) throws -> String {
        var params: [String: Any] = ["dataset": dataset, "imbalance": imbalance, "method": method, "seed": seed, "epochs": epochs,
                                     "model": "resnet32", "policy": "ldam", "recipe": recipe]
        params.merge(extra) { _, new in new }
        return try step(kind: "train", name: "train-\(method)-\(seed)", params: params, metrics: metrics)
    }

    /// A succeeded analyse step whose `model` input is the train step `model`.
    @discardableResult
    func analysis(_ method: String, seed: Int, model: String, metrics: [String: Double], dataset: String = "cifar10") throws -> String {
        try step(kind: "analyse", name: "analyse-\(method)-\(seed)",
                 params: ["dataset": dataset, "imbalance": 100, "method": method, "seed": seed], metrics: metrics,
                 inputs: [("model", [model])])
    }

    /// Any succeeded step with test-split metrics (or `metricRecords` as given) and inputs by name.
    @discardableResult
    func step(kind: String, name: String, params: [String: Any], metrics: [String: Double] = [:],
              inputs: [(String, [String])] = [], metricRecords: [(String, Double, String?)] = []) throws -> String {
        count += 1
        let key = String(format: "%@%04d", kind, count) + String(repeating: "0", count: 56)
        let json = String(decoding: try JSONSerialization.data(withJSONObject: params, options: [.sortedKeys]), as: UTF8.self)
        let record = StepRecord(key: key, kind: kind, name: name, paramsJSON: json, version: 1, status: .succeeded, outputDigest: "d",
                                startedAt: Date(timeIntervalSince1970: 0), finishedAt: Date(timeIntervalSince1970: 1), seconds: 1, error: nil)
        let inputRecords = inputs.flatMap { input in
            input.1.enumerated().map { StepInputRecord(stepKey: key, inputName: input.0, position: $0.offset, inputKey: $0.element,
                                                       inputStep: self.stepName(of: $0.element), digest: "d") }
        }
        let metricRows = metrics.sorted { $0.key < $1.key }.map { MetricRecord(stepKey: key, name: $0.key, value: $0.value, split: "test") }
            + metricRecords.map { MetricRecord(stepKey: key, name: $0.0, value: $0.1, split: $0.2) }
        try store.ingest(StepIngest(step: record, inputs: inputRecords, artifacts: [], metrics: metricRows),
                         runStep: RunStepRecord(runID: runID, name: name, stepKey: key, outcome: .ran, reason: "new"))
        names[key] = name
        return key
    }

    private var names: [String: String] = [:]
    private func stepName(of key: String) -> String { names[key] ?? key }

    func ledger(_ claims: [Claim] = ClaimCatalog.claims) throws -> ClaimLedger {
        ClaimLedger(evidence: try ClaimEvidence(store: store), claims: claims)
    }
}
