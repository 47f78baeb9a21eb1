import Pipeline

/// The step kinds each input of a kind takes, checked when the pipeline file is loaded: a
/// `table` whose `runs` named the dataset step ran, found no run and published empty tables over
/// good ones; an `analyse` whose `model` was not a train step failed only once it ran.
enum InputKinds {
    /// Throws when an input in `allowed` (input name → the step kind it takes) names a step of
    /// another kind.
    static func require(_ allowed: [String: String], in inputs: [String: [(kind: String, parameters: Parameters)]]) throws {
        for (input, kind) in allowed.sorted(by: { $0.key < $1.key }) {
            if let other = inputs[input]?.first(where: { $0.kind != kind }) {
                throw StepInputError("input '\(input)' takes \(kind) steps, but names a '\(other.kind)' step")
            }
        }
    }
}
