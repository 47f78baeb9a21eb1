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

    /// Throws when an input of `names` lists more than one step (`data: [data, data100]`): the
    /// kind reads exactly one there, and a list would change the cache key without changing the run.
    static func requireSingle(_ names: [String], in inputs: [String: [(kind: String, parameters: Parameters)]]) throws {
        for name in names {
            if let steps = inputs[name], steps.count > 1 {
                throw StepInputError("input '\(name)' takes one \(steps[0].kind) step, but names \(steps.count)")
            }
        }
    }
}
