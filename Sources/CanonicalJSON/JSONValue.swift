/// A JSON value whose text must be the same bytes every time: cache keys hash it, checkpoint
/// headers must match the reference writer's byte for byte.
///
/// `text` writes it as Python's `json.dumps(value, separators=(",", ":"), ensure_ascii=False)`
/// does (add `sort_keys=True` by building objects with `sortedObject`): no whitespace, strings
/// as in `JSONString`, numbers as in `FiniteNumber`. Where no one hashes or compares the bytes, use
/// Foundation's `JSONEncoder` with `.sortedKeys` instead.
public indirect enum JSONValue: Sendable {
    case string(String)
    case integer(Int)
    case number(FiniteNumber)
    case bool(Bool)
    case array([JSONValue])
    /// Members written in the order given (the safetensors header layout); see `sortedObject`.
    case object([Member])

    /// One `"key":value` pair of an object.
    public struct Member: Sendable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// An object with its keys in Python's `sort_keys` order: by Unicode scalar values, which is
    /// Swift's `String` order for ASCII (and NFC) keys and Python's `str` order for all of them.
    public static func sortedObject(_ entries: [String: JSONValue]) -> JSONValue {
        .object(entries.map { Member($0.key, $0.value) }.sorted {
            $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) { $0.value < $1.value }
        })
    }

    /// The compact JSON text of this value.
    public var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .string(let s): out += JSONString.quoted(s)
        case .integer(let i): out += String(i)
        case .number(let n): out += n.text
        case .bool(let b): out += b ? "true" : "false"
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                out += JSONString.quoted(member.key) + ":"
                member.value.write(to: &out)
            }
            out += "}"
        }
    }
}
