import Foundation
import Pipeline

/// `fail`: always fails with `message`. Exercises failure propagation (dependents are skipped,
/// independent steps go on, the run exits non-zero). With `crash: true` the worker process exits
/// abruptly with status 70 and no result file, as a crash or an out-of-memory kill would.
struct FailStep: StepKind {
    let name = "fail"
    let version = 1
    let resources = StepResources.light

    struct Failure: Error, CustomStringConvertible { var description: String }

    func validate(parameters: Parameters, inputNames: [String]) throws {
        try parameters.requireOnly(["message", "crash"])
        _ = try parameters.string("message")
        _ = try parameters.optional("crash", default: false, Parameters.bool)
    }

    func run(_ context: StepContext) throws -> StepResult {
        let message = try context.parameters.string("message")
        if try context.parameters.optional("crash", default: false, Parameters.bool) {
            context.log(message)
            exit(70)
        }
        throw Failure(description: message)
    }
}
