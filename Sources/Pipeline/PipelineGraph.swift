import Foundation

/// A validated pipeline: every kind known, parameters accepted by their kind, every input resolved
/// to steps, no duplicate names, no cycles. Steps are in a topological order (file order where free).
public struct PipelineGraph: Sendable {
    public var name: String
    public var file: String
    public var steps: [GraphStep]

    /// Names of the steps matching `pattern` (a name, or a shell pattern such as `train-*`).
    public func stepNames(matching pattern: String) -> [String] {
        steps.map(\.name).filter { Self.matches($0, pattern) }
    }

    /// The steps called `names` and every step they depend on, directly or not, in graph order.
    /// `bce3s run --only` and figure/table regeneration run such a part of a pipeline.
    public func restricted(to names: Set<String>) -> PipelineGraph {
        var keep = Set(steps.indices.filter { names.contains(steps[$0].name) })
        for index in steps.indices.reversed() where keep.contains(index) { keep.formUnion(steps[index].upstream) }
        let kept = steps.indices.filter(keep.contains)
        let position = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, $0) })
        var graph = self
        graph.steps = kept.map { index in
            var step = steps[index]
            step.inputs = step.inputs.map { ($0.name, $0.steps.map { position[$0]! }) }
            return step
        }
        return graph
    }
}

/// One step of a validated graph. Inputs refer to other steps by their index in `PipelineGraph.steps`.
public struct GraphStep: Sendable {
    public var name: String
    public var kind: String
    public var version: Int
    public var resources: StepResources
    /// `StepKind.threads` of the step's parameters.
    public var threads: Int
    public var parameters: Parameters
    /// Input name → indices of the upstream steps, in file order.
    public var inputs: [(name: String, steps: [Int])]
    public var location: SourceLocation
    /// What the step reads from the data directory (`PipelineGraph.withExternalInputs`); nil before.
    public var external: ExternalInputs?
    /// For a kind whose outputs name its inputs (`StepKind.outputsNameInputs`): input name → the
    /// names of its upstream steps, in order; nil otherwise.
    public var inputStepNames: [String: [String]]?

    public init(name: String, kind: String, version: Int, resources: StepResources = .light, threads: Int = 1,
                parameters: Parameters = Parameters(), inputs: [(name: String, steps: [Int])] = [],
                location: SourceLocation = SourceLocation(file: "", line: 0, column: 0)) {
        self.name = name; self.kind = kind; self.version = version; self.resources = resources; self.threads = threads
        self.parameters = parameters; self.inputs = inputs; self.location = location
    }

    /// Indices of every upstream step, without repeats.
    public var upstream: [Int] {
        var seen: Set<Int> = []
        return inputs.flatMap(\.steps).filter { seen.insert($0).inserted }
    }
}

extension PipelineGraph {
    /// The graph with each step's external inputs found in `dataDirectory`, as the kinds in
    /// `registry` describe them: done once per command, before planning.
    public func withExternalInputs(dataDirectory: URL, registry: StepRegistry) -> PipelineGraph {
        var graph = self
        for index in graph.steps.indices {
            graph.steps[index].external = registry.kind(named: steps[index].kind)?
                .externalInputs(parameters: steps[index].parameters, dataDirectory: dataDirectory)
        }
        return graph
    }

    /// Validates `spec` against `registry` and orders its steps.
    public init(_ spec: PipelineSpec, registry: StepRegistry) throws {
        func fail(_ message: String, _ location: SourceLocation?) -> PipelineSpecError {
            PipelineSpecError(message, at: location, file: spec.file)
        }
        var firstByName: [String: StepSpec] = [:]
        for step in spec.steps {
            if let first = firstByName[step.name] {
                throw fail("duplicate step name '\(step.name)' (first defined at line \(first.location.line))", step.location)
            }
            firstByName[step.name] = step
        }
        var kinds: [any StepKind] = []
        for step in spec.steps {
            guard let kind = registry.kind(named: step.kind) else {
                throw fail("unknown step kind '\(step.kind)' in step '\(step.name)'\(NearestName.hint(for: step.kind, among: registry.names)) "
                           + "(known: \(registry.knownList))",
                           step.kindLocation)
            }
            do { try kind.validate(parameters: step.parameters, inputNames: step.inputs.map(\.name)) } catch let problem as ParameterError {
                throw fail("step '\(step.name)': \(problem)", step.parameterLocations[problem.key] ?? step.location)
            } catch let problem as StepInputError {
                throw fail("step '\(step.name)': \(problem)", step.location)
            } catch {
                throw fail("step '\(step.name)': \(error)", step.location)
            }
            kinds.append(kind)
        }
        let names = spec.steps.map(\.name)
        let indexOfName = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let resolvedInputs: [[(name: String, steps: [Int])]] = try spec.steps.map { step in
            try step.inputs.map { input in
                let matches = try input.patterns.flatMap { pattern -> [Int] in
                    // An exact name is a dictionary look-up (planning stays linear in the steps);
                    // only shell patterns scan the names.
                    let found = Self.isPattern(pattern) ? names.indices.filter { Self.matches(names[$0], pattern) }
                        : indexOfName[pattern].map { [$0] } ?? []
                    guard !found.isEmpty else {
                        throw fail("input '\(input.name)' of step '\(step.name)': no step matches '\(pattern)'"
                                   + (Self.isPattern(pattern) ? "" : NearestName.hint(for: pattern, among: names)),
                                   step.inputLocations[input.name])
                    }
                    return found
                }
                return (input.name, matches)
            }
        }
        for (index, step) in spec.steps.enumerated() {
            let inputs = Dictionary(resolvedInputs[index].map { input in
                (input.name, input.steps.map { (kind: spec.steps[$0].kind, parameters: spec.steps[$0].parameters) })
            }) { first, _ in first }
            do { try kinds[index].validate(parameters: step.parameters, inputs: inputs) } catch let problem as ParameterError {
                throw fail("step '\(step.name)': \(problem)", step.parameterLocations[problem.key] ?? step.location)
            } catch {
                throw fail("step '\(step.name)': \(error)", step.location)
            }
        }
        let order = try Self.topologicalOrder(resolvedInputs.map { Set($0.flatMap(\.steps)) }) { cycle in
            fail("dependency cycle: " + (cycle + [cycle[0]]).map { names[$0] }.joined(separator: " -> "),
                 spec.steps[cycle[0]].location)
        }
        var position = [Int](repeating: 0, count: order.count)
        for (newIndex, old) in order.enumerated() { position[old] = newIndex }
        self.name = spec.name
        self.file = spec.file
        self.steps = order.map { old in
            let step = spec.steps[old]
            var graphStep = GraphStep(name: step.name, kind: step.kind, version: kinds[old].version,
                                      resources: kinds[old].resources, threads: kinds[old].threads(step.parameters),
                                      parameters: step.parameters,
                                      inputs: resolvedInputs[old].map { ($0.name, $0.steps.map { position[$0] }) },
                                      location: step.location)
            if kinds[old].outputsNameInputs {
                graphStep.inputStepNames = Dictionary(resolvedInputs[old].map { ($0.name, $0.steps.map { names[$0] }) }) { first, _ in first }
            }
            return graphStep
        }
    }

    /// Exact name, or a shell-style pattern when it contains `*`, `?` or `[`.
    static func matches(_ name: String, _ pattern: String) -> Bool {
        isPattern(pattern) ? fnmatch(pattern, name, 0) == 0 : name == pattern
    }

    static func isPattern(_ pattern: String) -> Bool { pattern.contains(where: { "*?[".contains($0) }) }

    /// Kahn's algorithm, taking the lowest ready index first so file order is kept where possible.
    /// `cycleError` receives the indices of one cycle when there is one.
    static func topologicalOrder(_ dependencies: [Set<Int>], cycleError: ([Int]) -> Error) throws -> [Int] {
        var remaining = dependencies.map(\.count)
        var dependents = [[Int]](repeating: [], count: dependencies.count)
        for (step, inputs) in dependencies.enumerated() { for input in inputs { dependents[input].append(step) } }
        var ready = MinHeap(remaining.indices.filter { remaining[$0] == 0 })
        var order: [Int] = []
        order.reserveCapacity(dependencies.count)
        while let next = ready.popMin() {
            order.append(next)
            for dependent in dependents[next] {
                remaining[dependent] -= 1
                if remaining[dependent] == 0 { ready.insert(dependent) }
            }
        }
        guard order.count < dependencies.count else { return order }
        throw cycleError(findCycle(dependencies, among: Set(remaining.indices.filter { remaining[$0] > 0 })))
    }

    /// Walks input edges among steps that are stuck behind a cycle until a step repeats; returns the
    /// cycle in data-flow order, starting from its earliest step in the file.
    private static func findCycle(_ dependencies: [Set<Int>], among stuck: Set<Int>) -> [Int] {
        var path = [stuck.min()!]
        while true {
            let next = dependencies[path.last!].filter(stuck.contains).min()!
            if let start = path.firstIndex(of: next) {
                let cycle = Array(path[start...].reversed())
                let first = cycle.firstIndex(of: cycle.min()!)!
                return Array(cycle[first...] + cycle[..<first])
            }
            path.append(next)
        }
    }
}
