import Foundation

/// The step kinds a `bce3s` binary knows, by name. The CLI fills it from the `Steps` target.
public struct StepRegistry: Sendable {
    private let kinds: [String: any StepKind]
    /// Names of the kinds that only exercise the runner (smoke tests, benchmarks), listed apart
    /// from the project's kinds so that an error message does not offer them as the work kinds.
    private let runnerCheckNames: Set<String>

    /// Registers `kinds` and `runnerChecks`; two kinds with the same name are a programming error.
    public init(_ kinds: [any StepKind], runnerChecks: [any StepKind] = []) {
        var byName: [String: any StepKind] = [:]
        for kind in kinds + runnerChecks {
            precondition(byName[kind.name] == nil, "step kind '\(kind.name)' registered twice")
            byName[kind.name] = kind
        }
        self.kinds = byName
        runnerCheckNames = Set(runnerChecks.map(\.name))
    }

    /// The kind called `name`, if registered.
    public func kind(named name: String) -> (any StepKind)? { kinds[name] }

    /// All registered kind names, sorted.
    public var names: [String] { kinds.keys.sorted() }

    /// The known kinds as an error message lists them: the project's kinds, then the runner checks.
    public var knownList: String {
        let work = names.filter { !runnerCheckNames.contains($0) }, checks = names.filter(runnerCheckNames.contains)
        return work.joined(separator: ", ") + (checks.isEmpty ? "" : "; runner checks: " + checks.joined(separator: ", "))
    }
}

extension StepRegistry {
    /// What an unfinished step left in `workDirectory`, as the kind that recognises it says
    /// (`StepKind.progress` and `progressHistory`); nil when no kind recognises anything there.
    /// For `bce3s show`, which knows a step that has not finished only by its key: a work
    /// directory belongs to one key, and each kind reads only its own checkpoint files.
    public func progress(workDirectory: URL) -> (kind: String, summary: String, history: [String])? {
        for name in names {
            if let kind = kinds[name], let summary = kind.progress(workDirectory: workDirectory) {
                return (name, summary, kind.progressHistory(workDirectory: workDirectory))
            }
        }
        return nil
    }
}
