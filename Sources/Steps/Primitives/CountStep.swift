import Foundation
import Pipeline

/// `count`: a stand-in for training. Advances a 64-bit LCG `to` ticks from `seed`, sleeping `delay`
/// seconds per tick, and checkpoints after every tick in its work directory, so after a kill the
/// rerun resumes where it stopped and ends with the same value as an uninterrupted run. Heavy, like
/// training: one at a time.
struct CountStep: StepKind {
    let name = "count"
    let version = 1
    let resources = StepResources.heavy

    private struct Checkpoint: Codable { var tick: Int; var value: UInt64 }

    func validate(parameters: Parameters, inputNames: [String]) throws {
        try parameters.requireOnly(["to", "delay", "seed"])
        guard try parameters.int("to") >= 0 else { throw ParameterError(key: "to", problem: "expected a count >= 0") }
        guard try parameters.optional("delay", default: 0, Parameters.double) >= 0 else {
            throw ParameterError(key: "delay", problem: "expected seconds >= 0")
        }
        _ = try parameters.optional("seed", default: 0, Parameters.int)
    }

    func run(_ context: StepContext) throws -> StepResult {
        let ticks = try context.parameters.int("to")
        let delay = try context.parameters.optional("delay", default: 0, Parameters.double)
        let checkpointFile = Self.checkpointFile(in: context.workDirectory)
        var state = Checkpoint(tick: 0, value: UInt64(bitPattern: Int64(try context.parameters.optional("seed", default: 0, Parameters.int))))
        if let data = try? Data(contentsOf: checkpointFile) {
            state = try JSONDecoder().decode(Checkpoint.self, from: data)
            context.log("resuming from tick \(state.tick) of \(ticks)")
        }
        while state.tick < ticks {
            state.value = state.value &* 6364136223846793005 &+ 1442695040888963407 &+ UInt64(state.tick)
            state.tick += 1
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            try JSONEncoder().encode(state).write(to: checkpointFile, options: .atomic)
            context.log("tick \(state.tick) of \(ticks)")
        }
        try "\(state.value)\n".write(to: context.outputDirectory.appendingPathComponent("count.txt"),
                                      atomically: true, encoding: .utf8)
        return StepResult(metrics: [Metric("ticks", Double(ticks)), Metric("value", Double(state.value % 1_000_000))])
    }

    /// "12 ticks done": where a rerun resumes.
    func progress(workDirectory: URL) -> String? {
        (try? Data(contentsOf: Self.checkpointFile(in: workDirectory)))
            .flatMap { try? JSONDecoder().decode(Checkpoint.self, from: $0) }
            .map { "\($0.tick) ticks done" }
    }

    static func checkpointFile(in workDirectory: URL) -> URL { workDirectory.appendingPathComponent("checkpoint.json") }
}
