/// A step's parameters with typed accessors that explain what was wrong.
///
/// Step kinds read their parameters through these accessors both in `validate` (so a pipeline file
/// with a bad value is rejected, with its line, before anything runs) and in `run`.
public struct Parameters: Hashable, Sendable, Codable {
    public var values: [String: ParameterValue]

    public init(_ values: [String: ParameterValue] = [:]) { self.values = values }

    /// Canonical JSON of all parameters (sorted keys): the parameter part of the cache key.
    /// A NaN or infinite number throws `NonFiniteNumberError` naming the parameter.
    public var canonicalJSON: String {
        get throws { try ParameterValue.map(values).canonicalJSON }
    }

    public subscript(key: String) -> ParameterValue? { values[key] }

    /// Rejects parameters the kind does not know, so a typo cannot silently fall back to a default.
    public func requireOnly(_ known: Set<String>) throws {
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw ParameterError(key: unknown, problem: "unknown parameter\(NearestName.hint(for: unknown, among: known)) "
                                 + "(known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    public func string(_ key: String) throws -> String {
        guard case .string(let s)? = try required(key) else { throw mismatch(key, "a string") }
        return s
    }

    public func int(_ key: String) throws -> Int {
        guard case .int(let i)? = try required(key) else { throw mismatch(key, "an integer") }
        return i
    }

    /// A number; integers are accepted too (`lr: 1` means 1.0).
    public func double(_ key: String) throws -> Double {
        switch try required(key) {
        case .double(let d)?: return d
        case .int(let i)?: return Double(i)
        default: throw mismatch(key, "a number")
        }
    }

    public func bool(_ key: String) throws -> Bool {
        guard case .bool(let b)? = try required(key) else { throw mismatch(key, "a boolean") }
        return b
    }

    public func strings(_ key: String) throws -> [String] {
        guard case .list(let items)? = try required(key) else { throw mismatch(key, "a list of strings") }
        return try items.map { item in
            guard case .string(let s) = item else { throw mismatch(key, "a list of strings") }
            return s
        }
    }

    /// The value of `key`, or `fallback` when absent; a present value of the wrong type is an error.
    public func optional<T>(_ key: String, default fallback: T,
                            _ read: (Parameters) -> (String) throws -> T) throws -> T {
        values[key] == nil ? fallback : try read(self)(key)
    }

    private func required(_ key: String) throws -> ParameterValue? {
        guard let value = values[key] else { throw ParameterError(key: key, problem: "missing required parameter") }
        return value
    }

    private func mismatch(_ key: String, _ expected: String) -> ParameterError {
        ParameterError(key: key, problem: "expected \(expected), found \(values[key]?.typeName ?? "nothing")")
    }

    public init(from decoder: Decoder) throws {
        values = try [String: ParameterValue](from: decoder)
    }

    public func encode(to encoder: Encoder) throws { try values.encode(to: encoder) }
}

/// A parameter a step kind cannot accept: which one and what was expected.
public struct ParameterError: Error, Equatable, CustomStringConvertible {
    public var key: String
    public var problem: String

    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }

    public var description: String { "parameter '\(key)': \(problem)" }
}
