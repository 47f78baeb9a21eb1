import Foundation
import Pipeline

/// `write`: writes `text` to the artifact `file` (default `out.txt`). The simplest cacheable step.
struct WriteStep: StepKind {
    let name = "write"
    let version = 1
    let resources = StepResources.light

    func validate(parameters: Parameters, inputNames: [String]) throws {
        try parameters.requireOnly(["text", "file"])
        _ = try parameters.string("text")
        _ = try artifactName(parameters)
        if let input = inputNames.first { throw StepInputError("'write' takes no inputs, found '\(input)'") }
    }

    func run(_ context: StepContext) throws -> StepResult {
        let text = try context.parameters.string("text")
        let data = Data(text.utf8)
        try data.write(to: context.outputDirectory.appendingPathComponent(try artifactName(context.parameters)))
        return StepResult(metrics: [Metric("bytes", Double(data.count))])
    }

    private func artifactName(_ parameters: Parameters) throws -> String {
        let file = try parameters.optional("file", default: "out.txt", Parameters.string)
        guard !file.isEmpty, !file.contains("/"), file != "..", file != "." else {
            throw ParameterError(key: "file", problem: "expected a plain file name, found '\(file)'")
        }
        return file
    }
}
