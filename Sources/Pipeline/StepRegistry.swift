/// The step kinds a `bce3s` binary knows, by name. The CLI fills it from the `Steps` target.
public struct StepRegistry: Sendable {
    private let kinds: [String: any StepKind]

    /// Registers `kinds`; two kinds with the same name are a programming error.
    public init(_ kinds: [any StepKind]) {
        var byName: [String: any StepKind] = [:]
        for kind in kinds {
            precondition(byName[kind.name] == nil, "step kind '\(kind.name)' registered twice")
            byName[kind.name] = kind
        }
        self.kinds = byName
    }

    /// The kind called `name`, if registered.
    public func kind(named name: String) -> (any StepKind)? { kinds[name] }

    /// All registered kind names, sorted.
    public var names: [String] { kinds.keys.sorted() }
}
