/// A position in a pipeline file, for error messages (`file:line:column`).
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file; self.line = line; self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A pipeline file that cannot run: where and why. `bce3s` exits with status 2 on it, before any step runs.
public struct PipelineSpecError: Error, Equatable, CustomStringConvertible {
    public var location: SourceLocation?
    public var file: String
    public var message: String

    public init(_ message: String, at location: SourceLocation?, file: String) {
        self.message = message; self.location = location; self.file = file
    }

    /// `file:line:column: error: message`, with control characters (other than line breaks) shown
    /// as `\u{…}` so that a name or value from the file can never drive the terminal.
    public var description: String {
        let text = "\(location?.description ?? file): error: \(message)"
        return text.unicodeScalars.map { scalar in
            (scalar.value < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(scalar.value)
                ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }.joined()
    }
}

/// One step after grid expansion: what the pipeline file says, before kinds and inputs are resolved.
public struct StepSpec: Equatable, Sendable {
    public var name: String
    public var kind: String
    public var parameters: Parameters
    /// Input name → step names or `*` patterns, in file order.
    public var inputs: [(name: String, patterns: [String])]
    public var location: SourceLocation
    public var kindLocation: SourceLocation
    /// Where each parameter (or the grid axis it came from) was written.
    public var parameterLocations: [String: SourceLocation]
    public var inputLocations: [String: SourceLocation]

    public static func == (a: StepSpec, b: StepSpec) -> Bool {
        a.name == b.name && a.kind == b.kind && a.parameters == b.parameters
            && a.inputs.map(\.name) == b.inputs.map(\.name) && a.inputs.map(\.patterns) == b.inputs.map(\.patterns)
            && a.location == b.location
    }
}

/// A parsed pipeline file: its name and its expanded steps in file order.
public struct PipelineSpec: Equatable, Sendable {
    public var file: String
    public var name: String
    public var steps: [StepSpec]
}
