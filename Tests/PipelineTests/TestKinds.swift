import Foundation
@testable import Pipeline

/// Thread-safe record of what test kinds did: which steps executed and when.
final class ExecutionLog: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String] = []
    private var spans: [(start: Date, end: Date)] = []

    func ran(_ name: String) { lock.lock(); names.append(name); lock.unlock() }
    func span(_ start: Date, _ end: Date) { lock.lock(); spans.append((start, end)); lock.unlock() }
    var executed: [String] { lock.lock(); defer { lock.unlock() }; return names }
    var intervals: [(start: Date, end: Date)] { lock.lock(); defer { lock.unlock() }; return spans }
}

/// `const`: writes its integer parameter `value` to `value.txt`.
struct ConstKind: StepKind {
    let name = "const"
    var version = 1
    let resources = StepResources.light
    let log: ExecutionLog

    func validate(parameters: Parameters, inputNames: [String]) throws {
        try parameters.requireOnly(["value", "label"])
        _ = try parameters.int("value")
    }

    func run(_ context: StepContext) throws -> StepResult {
        log.ran(context.name)
        let value = try context.parameters.int("value")
        try "\(value)".write(to: context.outputDirectory.appendingPathComponent("value.txt"), atomically: true, encoding: .utf8)
        return StepResult(metrics: [Metric("value", Double(value))])
    }
}

/// `add`: adds the `value.txt` of every input and its `offset` parameter; writes `value.txt`.
struct AddKind: StepKind {
    let name = "add"
    let version = 1
    let resources = StepResources.light
    let log: ExecutionLog

    func validate(parameters: Parameters, inputNames: [String]) throws {
        try parameters.requireOnly(["offset", "tag"])
        if inputNames.isEmpty { throw StepInputError("'add' needs at least one input") }
    }

    func run(_ context: StepContext) throws -> StepResult {
        log.ran(context.name)
        var total = try context.parameters.optional("offset", default: 0, Parameters.int)
        for input in context.inputs.values.joined() {
            total += Int(try String(contentsOf: try input.artifact("value.txt"), encoding: .utf8))!
        }
        try "\(total)".write(to: context.outputDirectory.appendingPathComponent("value.txt"), atomically: true, encoding: .utf8)
        return StepResult(metrics: [Metric("value", Double(total))])
    }
}

/// `meet`: announces itself in `dir` and waits until `other` has too. Two of them finish only if
/// they run at the same time, so this tests parallelism without timing thresholds.
struct MeetKind: StepKind {
    let name = "meet"
    let version = 1
    let resources = StepResources.light

    func validate(parameters: Parameters, inputNames: [String]) throws {
        _ = try parameters.string("dir"); _ = try parameters.string("me"); _ = try parameters.string("other")
    }

    func run(_ context: StepContext) throws -> StepResult {
        let dir = URL(fileURLWithPath: try context.parameters.string("dir"))
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent(try context.parameters.string("me")).path, contents: nil)
        let other = dir.appendingPathComponent(try context.parameters.string("other")).path
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: other) {
            guard Date() < deadline else { throw StepInputError("'\(other)' never appeared: steps did not run in parallel") }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return StepResult()
    }
}

/// `span`: a heavy step that records when it ran, to check that heavy steps never overlap.
struct SpanKind: StepKind {
    let name = "span"
    let version = 1
    let resources = StepResources.heavy
    let log: ExecutionLog

    func validate(parameters: Parameters, inputNames: [String]) throws { _ = try parameters.int("id") }

    func run(_ context: StepContext) throws -> StepResult {
        let start = Date()
        Thread.sleep(forTimeInterval: 0.05)
        log.span(start, Date())
        return StepResult()
    }
}

/// `boom`: always fails.
struct BoomKind: StepKind {
    let name = "boom"
    let version = 1
    let resources = StepResources.light

    func validate(parameters: Parameters, inputNames: [String]) throws {}

    func run(_ context: StepContext) throws -> StepResult { throw StepInputError("boom") }
}

func testRegistry(_ log: ExecutionLog, constVersion: Int = 1) -> StepRegistry {
    StepRegistry([ConstKind(version: constVersion, log: log), AddKind(log: log), MeetKind(), SpanKind(log: log), BoomKind()])
}

/// Parses YAML text into a validated graph.
func graph(_ yaml: String, registry: StepRegistry) throws -> PipelineGraph {
    try PipelineGraph(SpecLoader(file: "test.yaml", text: yaml).parse(), registry: registry)
}

/// A cache in memory: results by key and the last result by name.
struct MemoryCache: CacheLookup {
    var byKey: [String: CachedStep] = [:]
    var byName: [String: CachedStep] = [:]

    func step(key: String) throws -> CachedStep? { byKey[key] }
    func previous(name: String) throws -> CachedStep? { byName[name] }

    /// Stores a successful result for every step the plan would run, as if the run had happened.
    mutating func remember(_ step: GraphStep, key: String, inputDigests: [(name: String, digests: [String])],
                           succeeded: Bool = true) {
        let cached = CachedStep(key: key, name: step.name, kind: step.kind, version: step.version, parameters: step.parameters,
                                succeeded: succeeded, error: succeeded ? nil : "boom", outputDigest: succeeded ? "out-\(key)" : nil,
                                inputDigests: Dictionary(uniqueKeysWithValues: inputDigests.map { ($0.name, $0.digests) }))
        byKey[key] = cached
        byName[step.name] = cached
    }
}
