import Store

/// Says when a reused result was computed by other code than the current.
///
/// Cache keys cover a step's kind, the kind's version, its parameters and its inputs' outputs, not
/// the code: a fixed loss or kernel keeps old results until the kind's version is bumped or the
/// step is forced. Rather than throwing every cached training away on each rebuild, `run` and
/// `status` name the code version that computed each reused result when it differs from the
/// current one (`git describe` of the working directory, as `run.code_version` records it).
public enum ReuseProvenance {
    /// The reason shown and recorded for reusing the step with cache key `key`: `cached`, or
    /// `cached; computed by <version>, code now <current>` when the versions differ.
    public static func reason(key: String, store: ExperimentStore, currentCode: String) throws -> String {
        guard let computedBy = try store.codeVersionThatComputed(key: key), computedBy != currentCode else {
            return StepDecision.cachedReason
        }
        return "\(StepDecision.cachedReason); computed by \(computedBy), code now \(currentCode)"
    }
}
