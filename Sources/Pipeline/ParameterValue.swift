import CanonicalJSON

/// A step parameter as written in a pipeline file: a JSON-like value.
///
/// Its canonical JSON is what the cache key hashes, so `{a: 1, b: 2}` and `{b: 2, a: 1}` are the
/// same step. It is written by `CanonicalJSON`: Python's
/// `json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`, byte for byte,
/// except that NaN and infinity are an error naming the parameter (the pipeline loader already
/// refuses them) rather than Python's `NaN`, which is not JSON.
public enum ParameterValue: Hashable, Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([ParameterValue])
    case map([String: ParameterValue])

    /// The canonical JSON text of this value; a non-finite number throws `NonFiniteNumberError`.
    public var canonicalJSON: String {
        get throws { try json(field: "").text }
    }

    /// This value for the canonical writer; `field` is its dotted path, for errors.
    func json(field: String) throws -> JSONValue {
        switch self {
        case .string(let s): return .string(s)
        case .int(let i): return .integer(i)
        case .double(let d): return .number(try FiniteNumber(d, field: field))
        case .bool(let b): return .bool(b)
        case .list(let items):
            return .array(try items.enumerated().map { try $1.json(field: "\(field)[\($0)]") })
        case .map(let entries):
            return .sortedObject(try entries.reduce(into: [:]) { object, entry in
                object[entry.key] = try entry.value.json(field: field.isEmpty ? entry.key : "\(field).\(entry.key)")
            })
        }
    }

    /// A short human form, used in names built from grid values and in `key=value` overrides;
    /// lists and mappings are their canonical JSON.
    public var display: String {
        get throws {
            switch self {
            case .string(let s): return s
            case .int(let i): return String(i)
            case .double(let d): return "\(d)"
            case .bool(let b): return b ? "true" : "false"
            case .list, .map: return try canonicalJSON
            }
        }
    }

    /// What kind of value this is, for error messages ("expected an integer, found a string").
    public var typeName: String {
        switch self {
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a number"
        case .bool: return "a boolean"
        case .list: return "a list"
        case .map: return "a mapping"
        }
    }
}

extension ParameterValue: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let i = try? container.decode(Int.self) { self = .int(i) }
        else if let d = try? container.decode(Double.self) { self = .double(d) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let l = try? container.decode([ParameterValue].self) { self = .list(l) }
        else { self = .map(try container.decode([String: ParameterValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let s): try container.encode(s)
        case .int(let i): try container.encode(i)
        case .double(let d): try container.encode(d)
        case .bool(let b): try container.encode(b)
        case .list(let l): try container.encode(l)
        case .map(let m): try container.encode(m)
        }
    }
}
