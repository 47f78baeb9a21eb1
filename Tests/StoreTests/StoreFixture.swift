import Foundation
import XCTest
@testable import Store

/// A fresh store in a temporary directory, removed after the test.
class StoreTestCase: XCTestCase {
    var directory: URL!
    var storeURL: URL { directory.appendingPathComponent("store.sqlite") }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func step(_ key: String, name: String, kind: String = "train", params: String = "{}",
              status: StepRecord.Status = .succeeded, finished: TimeInterval = 0) -> StepRecord {
        StepRecord(key: key, kind: kind, name: name, paramsJSON: params, version: 1, status: status,
                   outputDigest: status == .succeeded ? "digest-\(key)" : nil,
                   startedAt: Date(timeIntervalSince1970: finished - 1), finishedAt: Date(timeIntervalSince1970: finished),
                   seconds: 1, error: status == .failed ? "boom" : nil)
    }

    func run(_ store: ExperimentStore) throws -> Int64 {
        try store.beginRun(RunRecord(pipeline: "p.yaml", pipelineSHA256: "abc", argv: "bce3s run p.yaml",
                                     startedAt: Date(), status: .running, codeVersion: "test"))
    }
}
