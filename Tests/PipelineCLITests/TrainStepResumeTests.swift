import Foundation
import XCTest

/// `kill -9` of a run during a `train` step: the rerun resumes from the trainer's checkpoint in
/// the step's work directory and ends with the metrics of an uninterrupted run.
final class TrainStepResumeTests: CLITestCase {
    private let pipeline = """
        pipeline: resume
        steps:
          - name: data
            kind: dataset
            params: {dataset: cifar10, imbalance: 10, download: false}
          - name: train
            kind: train
            params: {dataset: cifar10, imbalance: 10, method: ce, model: small, epochs: 3, seed: 5,
                     set_recipe: {batch_size: 16, warmup_epochs: 0, eval_every: 0, eval_batch_size: 40}}
            inputs: {data: data}
        """

    private func finishedEpochs() -> Int {
        let work = directory.appendingPathComponent("results/work")
        for key in (try? FileManager.default.contentsOfDirectory(atPath: work.path)) ?? [] {
            let log = directory.appendingPathComponent("results/logs/\(key).log")
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return text.components(separatedBy: " done: ").count - 1
        }
        return 0
    }

    private func finalMetrics(_ results: String) throws -> [String] {
        let output = try bce3s("query", "SELECT metric, value, class FROM step_metric WHERE step = 'train' AND epoch IS NULL "
                               + "AND metric NOT LIKE '%seconds%' ORDER BY metric, class",
                               "--format", "csv", "--results", results)
        XCTAssertEqual(output.status, 0, output.stderr)
        return output.stdout.split(separator: "\n").map(String.init)
    }

    func testKill9DuringTrainingThenRerunResumesToTheSameResult() throws {
        XCTAssertEqual(try bce3s("data", "synth", "--dataset", "cifar10", "--out", "data", "--per-class", "20",
                                 "--test-per-class", "4", "--seed", "2").status, 0)
        try write(pipeline, to: "p.yaml")
        let run = try start(["run", "p.yaml", "--data-dir", "data"])
        try waitUntil(90, "an epoch checkpoint") { finishedEpochs() >= 1 }
        kill(run.0.processIdentifier, SIGKILL)
        run.0.waitUntilExit()
        XCTAssertLessThan(finishedEpochs(), 3, "training finished before the kill; nothing was tested")

        let rerun = try bce3s("run", "p.yaml", "--data-dir", "data")
        XCTAssertEqual(rerun.status, 0, rerun.stdout + rerun.stderr)
        let key = try XCTUnwrap(try rows("SELECT key FROM step WHERE name = 'train'").first?["key"] as? String)
        let log = try String(contentsOf: directory.appendingPathComponent("results/logs/\(key).log"), encoding: .utf8)
        XCTAssertTrue(log.contains("resuming"), log)

        let fresh = try bce3s("run", "p.yaml", "--data-dir", "data", "--results", "fresh")
        XCTAssertEqual(fresh.status, 0, fresh.stdout + fresh.stderr)
        let resumed = try finalMetrics("results"), uninterrupted = try finalMetrics("fresh")
        XCTAssertGreaterThan(resumed.count, 10)
        XCTAssertEqual(resumed, uninterrupted)
    }
}
