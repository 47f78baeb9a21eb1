import Foundation
import Yams

/// Reads a pipeline file (YAML) into a `PipelineSpec`, expanding grids, rejecting anything it does not
/// understand with the file, line and column of the offending node.
///
/// ```yaml
/// pipeline: quick
/// steps:
///   - name: data
///     kind: dataset
///     params: {dataset: cifar10}
///   - name: train-{method}-s{seed}      # one step per grid point
///     kind: train
///     grid: {method: [ce, bce3s], seed: [0, 1]}   # axes become parameters
///     params: {epochs: 2}
///     inputs: {data: data}                # input name -> step name, `*` pattern, or list
/// slurm: {train: {time: "12:00:00"}}      # batch-job options, read by `SlurmSettingsLoader`
/// ```
public struct SpecLoader {
    let file: String
    let text: String

    /// Loads and expands the pipeline file at `url`.
    public static func load(_ url: URL) throws -> PipelineSpec {
        try SpecLoader(file: url.path, text: try readText(url)).parse()
    }

    /// The pipeline file's text; a folder, an unreadable file or bytes that are not UTF-8 are
    /// errors naming the file.
    static func readText(_ url: URL) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw PipelineSpecError("no such file; expected a pipeline file (YAML)", at: nil, file: url.path)
        }
        if isDirectory.boolValue {
            throw PipelineSpecError("is a directory; expected a pipeline file (YAML)", at: nil, file: url.path)
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PipelineSpecError("cannot read the pipeline file (\(error.localizedDescription))", at: nil, file: url.path)
        }
        return try decodeUTF8(data, file: url.path)
    }

    /// The file's text; a byte sequence that is not UTF-8 is an error at its line and column.
    static func decodeUTF8(_ data: Data, file: String) throws -> String {
        if let text = String(data: data, encoding: .utf8) { return text }
        let bytes = [UInt8](data)
        var line = 1, lineStart = 0, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            let end = index + length
            guard length > 0, end <= bytes.count, bytes[index..<end].dropFirst().allSatisfy({ $0 >> 6 == 0b10 }),
                  String(bytes: bytes[index..<end], encoding: .utf8) != nil else {
                let column = (String(bytes: bytes[lineStart..<index], encoding: .utf8)?.count ?? (index - lineStart)) + 1
                throw PipelineSpecError(String(format: "the file is not UTF-8 text (byte 0x%02X)", byte),
                                        at: SourceLocation(file: file, line: line, column: column), file: file)
            }
            if byte == 0x0A { line += 1; lineStart = end }
            index = end
        }
        throw PipelineSpecError("the file is not UTF-8 text", at: nil, file: file)
    }

    public init(file: String, text: String) {
        self.file = file
        self.text = text
    }

    /// Parses `text`; the pipeline's name defaults to the file's base name.
    public func parse() throws -> PipelineSpec {
        if let (line, column) = ComplexKeyScan.firstComplexKey(in: text) {
            throw PipelineSpecError("a mapping key must be a plain name, not an explicit '?' key or an alias",
                                    at: SourceLocation(file: file, line: line, column: column), file: file)
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw syntaxError(error)
        }
        guard let root else {
            throw PipelineSpecError("the file is empty (or only comments); expected a mapping with 'steps'",
                                    at: SourceLocation(file: file, line: 1, column: 1), file: file)
        }
        do { try AliasBudget.check(root) } catch let exceeded as AliasBudget.Exceeded {
            throw error(exceeded.message, at: exceeded.node)
        }
        let top = try mapping(root, "the top level")
        try rejectUnknownKeys(top, allowed: ["pipeline", "description", "steps", "slurm"], in: "the top level")
        let defaultName = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = try top["pipeline"].map { try string($0, "'pipeline'") } ?? defaultName
        guard let stepsNode = top["steps"] else { throw error("missing 'steps' (a list of steps)", at: root) }
        guard case .sequence(let sequence) = stepsNode, !sequence.isEmpty else {
            throw error("'steps' must be a non-empty list of steps", at: stepsNode)
        }
        var steps: [StepSpec] = []
        for node in sequence { steps += try expand(node, stepsSoFar: steps.count) }
        return PipelineSpec(file: file, name: name, steps: steps)
    }

    /// Steps a pipeline file may hold once its grids are expanded (a sweep of thousands of runs is
    /// fine; a typo that multiplies axes into millions is refused before anything is allocated).
    public static let maximumSteps = 100_000

    /// One `steps:` entry, expanded over its grid; `stepsSoFar` steps came before it.
    private func expand(_ node: Node, stepsSoFar: Int) throws -> [StepSpec] {
        let entry = try mapping(node, "a step")
        try rejectUnknownKeys(entry, allowed: ["name", "kind", "description", "params", "grid", "inputs"], in: "a step")
        guard let nameNode = entry["name"] else { throw error("a step needs a 'name'", at: node) }
        guard let kindNode = entry["kind"] else { throw error("step needs a 'kind'", at: node) }
        let nameTemplate = try string(nameNode, "'name'")
        let kind = try string(kindNode, "'kind'")
        var parameters: [String: ParameterValue] = [:]
        var parameterLocations: [String: SourceLocation] = [:]
        if let paramsNode = entry["params"] {
            for (key, value) in try mapping(paramsNode, "'params'") {
                let keyName = try string(key, "a parameter name")
                parameters[keyName] = try parameterValue(value, field: keyName)
                parameterLocations[keyName] = location(key)
            }
        }
        let axes = try entry["grid"].map(gridAxes) ?? []
        var points = 1
        for axis in axes {
            let (product, overflow) = points.multipliedReportingOverflow(by: axis.values.count)
            guard !overflow, stepsSoFar + product <= Self.maximumSteps else {
                throw error("the grid expands to more than \(Self.maximumSteps) steps in the file "
                            + "(\(axes.map { "\($0.values.count)" }.joined(separator: " × ")) points here, \(stepsSoFar) before); "
                            + "split the sweep into several files", at: entry["grid"]!)
            }
            points = product
        }
        for axis in axes where parameters[axis.name] != nil {
            throw error("grid axis '\(axis.name)' is also set in 'params'; keep one", at: axis.keyNode)
        }
        // Each grid point needs a name of its own: an axis of several values left out of the name
        // would otherwise surface as "duplicate step name" on the step's own line.
        // (a misspelt placeholder is named first)
        _ = try substitute(nameTemplate, Dictionary(axes.map { ($0.name, $0.values[0]) }) { first, _ in first }, at: nameNode)
        for axis in axes where axis.values.count > 1 && !nameTemplate.contains("{\(axis.name)}") {
            throw error("grid axis '\(axis.name)' has \(axis.values.count) values but the name '\(nameTemplate)' has no "
                        + "'{\(axis.name)}', so its steps would share one name; add it to the name", at: nameNode)
        }
        let inputs = try entry["inputs"].map(inputTemplates) ?? []
        return try GridExpansion.points(axes.map { ($0.name, $0.values) }).map { point in
            var stepParameters = parameters
            var locations = parameterLocations
            for axis in axes {
                stepParameters[axis.name] = point[axis.name]
                locations[axis.name] = location(axis.keyNode)
            }
            let name = try substitute(nameTemplate, point, at: nameNode)
            if let problem = StepName.problem(name) { throw error(problem, at: nameNode) }
            return StepSpec(
                name: name,
                kind: kind,
                parameters: Parameters(stepParameters),
                inputs: try inputs.map { input in
                    (input.name, try input.patterns.map { try substitute($0, point, at: input.node) })
                },
                location: location(node), kindLocation: location(kindNode),
                parameterLocations: locations,
                inputLocations: Dictionary(uniqueKeysWithValues: inputs.map { ($0.name, location($0.node)) }))
        }
    }

    private struct Axis { var name: String; var keyNode: Node; var values: [ParameterValue] }

    private func gridAxes(_ node: Node) throws -> [Axis] {
        try mapping(node, "'grid'").map { key, value in
            let name = try string(key, "a grid axis name")
            guard case .sequence(let values) = value, !values.isEmpty else {
                throw error("grid axis '\(name)' must be a non-empty list of values", at: value)
            }
            return Axis(name: name, keyNode: key, values: try values.map { try parameterValue($0, field: name) })
        }
    }

    private struct InputTemplate { var name: String; var node: Node; var patterns: [String] }

    private func inputTemplates(_ node: Node) throws -> [InputTemplate] {
        try mapping(node, "'inputs'").map { key, value in
            let name = try string(key, "an input name")
            switch value {
            case .scalar: return InputTemplate(name: name, node: value, patterns: [try string(value, "input '\(name)'")])
            case .sequence(let items) where !items.isEmpty:
                return InputTemplate(name: name, node: value, patterns: try items.map { try string($0, "input '\(name)'") })
            default: throw error("input '\(name)' must be a step name or a non-empty list of step names", at: value)
            }
        }
    }

    /// Replaces `{axis}` placeholders with grid values; an unknown placeholder is an error.
    private func substitute(_ template: String, _ point: [String: ParameterValue], at node: Node) throws -> String {
        do { return try GridExpansion.substitute(template, point) } catch let problem as GridExpansion.UnknownPlaceholder {
            throw error("'{\(problem.name)}' in '\(template)' is not a grid axis of this step", at: node)
        }
    }

    /// The value of `node`; `field` names it in errors (`lr`, `set_recipe.lr`).
    private func parameterValue(_ node: Node, field: String) throws -> ParameterValue {
        switch node {
        case .scalar(let scalar):
            let tag = Tag.Name(rawValue: node.tag.rawValue)
            if tag == .int || tag == .float, let reading = Self.surprisingNumberReading(scalar.string) {
                throw error("parameter '\(field)': \(scalar.string) is \(reading) in YAML 1.1, which reads this file; "
                            + "write the number without leading zeros or colons (or quote it for text)", at: node)
            }
            switch tag {
            case .int:
                guard let i = node.int else {
                    throw error("parameter '\(field)': \(scalar.string) is beyond the 64-bit integers (quote it for text)", at: node)
                }
                return .int(i)
            case .float:
                if let d = node.float {
                    guard d.isFinite else {
                        throw error("parameter '\(field)': expected a finite number, found \(scalar.string) (a cache key is JSON, which has no NaN or infinity)", at: node)
                    }
                    // A whole number is one value however it is written: `imbalance: 100.0` must
                    // have the key of `imbalance: 100` (else every training downstream reruns), and
                    // `epochs: 200.0` is an integer. Beyond 2^53 a double no longer counts units.
                    if d == d.rounded(), abs(d) <= 9_007_199_254_740_992 { return .int(Int(d)) }
                    return .double(d)
                }
            case .bool: if let b = node.bool { return .bool(b) }
            case .null: throw error("a parameter cannot be null; remove it or give a value", at: node)
            default: break
            }
            return .string(scalar.string)
        case .sequence(let items): return .list(try items.map { try parameterValue($0, field: field) })
        case .mapping(let entries):
            var map: [String: ParameterValue] = [:]
            for (key, value) in entries {
                let name = try string(key, "a key")
                map[name] = try parameterValue(value, field: "\(field).\(name)")
            }
            return .map(map)
        case .alias: throw error("YAML aliases are not supported in pipeline files", at: node)
        }
    }

    /// How YAML 1.1 reads a number written with a leading zero (`010`: octal 8) or colons
    /// (`3:20`: base 60, 200), which a reader takes for decimal; nil for a plain decimal.
    static func surprisingNumberReading(_ text: String) -> String? {
        let digits = text.drop { $0 == "-" || $0 == "+" }
        if digits.contains(":") { return "a base-60 number" }
        if digits.count > 1, digits.first == "0", digits.dropFirst().first?.isNumber == true { return "octal (or has a leading zero)" }
        return nil
    }

    // MARK: Node helpers that fail with a location

    private func mapping(_ node: Node, _ what: String) throws -> Node.Mapping {
        guard case .mapping(let map) = node else { throw error("\(what) must be a mapping (key: value)", at: node) }
        return map
    }

    private func string(_ node: Node, _ what: String) throws -> String {
        if case .scalar(let scalar) = node, scalar.string == "<<", node.tag.rawValue != Tag.Name.str.rawValue {
            throw error("YAML merge keys ('<<: *anchor') are not supported in pipeline files; write the fields out, "
                        + "or give the shared ones once per step with a grid", at: node)
        }
        guard case .scalar(let scalar) = node, node.tag.rawValue == Tag.Name.str.rawValue, !scalar.string.isEmpty else {
            throw error("\(what) must be a non-empty string", at: node)
        }
        return scalar.string
    }

    private func rejectUnknownKeys(_ map: Node.Mapping, allowed: [String], in what: String) throws {
        var seen: Set<String> = []
        for key in map.keys {
            let name = key.string ?? ""
            guard allowed.contains(name) else {
                throw error("unknown key '\(name)' in \(what) (allowed: \(allowed.joined(separator: ", ")))", at: key)
            }
            guard seen.insert(name).inserted else { throw error("key '\(name)' appears twice", at: key) }
        }
    }

    private func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    private func error(_ message: String, at node: Node) -> PipelineSpecError {
        PipelineSpecError(message, at: location(node), file: file)
    }

    private func syntaxError(_ error: YamlError) -> PipelineSpecError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return PipelineSpecError("YAML syntax error: \(problem)",
                                     at: SourceLocation(file: file, line: mark.line, column: mark.column), file: file)
        case .reader(let problem, let offset, let value, _):
            let before = offset.map { text.prefix($0) } ?? ""
            let line = before.filter { $0 == "\n" }.count + 1
            let column = (before.lastIndex(of: "\n").map { before.distance(from: before.index(after: $0), to: before.endIndex) }
                          ?? before.count) + 1
            return PipelineSpecError("YAML error: \(problem)" + (value >= 0 ? String(format: " (U+%04X)", value) : ""),
                                     at: SourceLocation(file: file, line: line, column: column), file: file)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return PipelineSpecError("key " + duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
                                     + " appears more than once in the same mapping (first here)",
                                     at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                                     file: file)
        default:
            return PipelineSpecError("YAML error: \(error)", at: nil, file: file)
        }
    }
}
