import Pipeline

/// `fail`: always fails with `message`. Exercises failure propagation (dependents are skipped,
/// independent steps go on, the run exits non-zero).
struct FailStep: StepKind {
    let name = "fail"
    let version = 1
    let resources = StepResources.light

    struct Failure: Error, CustomStringConvertible { var description: String }

    func validate(parameters: Parameters, inputNames: [String]) throws {
        try parameters.requireOnly(["message"])
        _ = try parameters.string("message")
    }

    func run(_ context: StepContext) throws -> StepResult {
        throw Failure(description: try context.parameters.string("message"))
    }
}
