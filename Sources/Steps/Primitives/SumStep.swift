import Foundation
import Pipeline

/// `sum`: adds up every number found in its inputs' artifacts (whitespace-separated text) plus
/// `offset`, writes `sum.txt` and reports metric `sum`. With `publish: PATH` a copy of `sum.txt`
/// is kept at `results/PATH`.
struct SumStep: StepKind {
    let name = "sum"
    let version = 1
    let resources = StepResources.light

    func validate(parameters: Parameters, inputNames: [String]) throws {
        try parameters.requireOnly(["offset", "publish"])
        _ = try parameters.optional("offset", default: 0, Parameters.double)
        _ = try parameters.optional("publish", default: "", Parameters.string)
    }

    func run(_ context: StepContext) throws -> StepResult {
        var total = try context.parameters.optional("offset", default: 0, Parameters.double)
        for input in context.inputs.keys.sorted().flatMap({ context.inputs[$0]! }) {
            for (artifact, url) in input.artifacts.sorted(by: { $0.key < $1.key }) {
                let text = try String(contentsOf: url, encoding: .utf8)
                for token in text.split(whereSeparator: \.isWhitespace) {
                    guard let number = Double(token) else {
                        throw StepInputError("artifact '\(artifact)' of step '\(input.name)' holds '\(token)', not a number")
                    }
                    total += number
                }
            }
        }
        try "\(total)\n".write(to: context.outputDirectory.appendingPathComponent("sum.txt"), atomically: true, encoding: .utf8)
        let publish = try context.parameters.optional("publish", default: "", Parameters.string)
        return StepResult(metrics: [Metric("sum", total)], publish: publish.isEmpty ? [:] : ["sum.txt": publish])
    }
}
