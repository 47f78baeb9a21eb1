import Foundation

/// A step parameter as written in a pipeline file: a JSON-like value.
///
/// Its canonical JSON (sorted keys, no whitespace, shortest round-trip numbers; what Python's
/// `json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` prints) is what the
/// cache key hashes, so `{a: 1, b: 2}` and `{b: 2, a: 1}` are the same step.
public enum ParameterValue: Hashable, Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([ParameterValue])
    case map([String: ParameterValue])

    /// The canonical JSON text of this value.
    public var canonicalJSON: String {
        switch self {
        case .string(let s): return Self.quoted(s)
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? "\(d)" : Self.quoted("\(d)")
        case .bool(let b): return b ? "true" : "false"
        case .list(let items): return "[" + items.map(\.canonicalJSON).joined(separator: ",") + "]"
        case .map(let entries):
            return "{" + entries.keys.sorted().map { Self.quoted($0) + ":" + entries[$0]!.canonicalJSON }
                .joined(separator: ",") + "}"
        }
    }

    /// A short human form, used in plan reasons and in names built from grid values.
    public var display: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return "\(d)"
        case .bool(let b): return b ? "true" : "false"
        case .list, .map: return canonicalJSON
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

    private static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
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
