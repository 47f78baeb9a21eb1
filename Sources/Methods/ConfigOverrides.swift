import Foundation

/// A configuration value that was wrong: where it came from, which field, and what was expected.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public let source: String
    public let field: String
    public let message: String

    public init(source: String, field: String, message: String) {
        self.source = source
        self.field = field
        self.message = message
    }

    public var description: String { "\(source): field '\(field)': \(message)" }
}

/// A configuration with optional fields that its JSON leaves out while they are unset, so that
/// adding such a field keeps the identity (canonical JSON) of every existing configuration.
/// `ConfigOverrides` can still set them: `optionalFields` gives each one's name and a value of
/// its JSON type.
public protocol OptionalConfigurationFields {
    static var optionalFields: [String: Any] { get }
}

/// `key=value` overrides of any field of a Codable configuration (method specs, recipes).
///
/// The value is encoded to JSON with snake_case keys, each override replaces one key (the
/// type of the old value says how to read the new one), and the result is decoded back, so
/// every field is overridable and a typo or a badly typed value is a `ConfigError`.
public enum ConfigOverrides {
    /// Splits `"key=value"` strings; `source` names them in errors.
    public static func parse(_ assignments: [String], source: String) throws -> [(key: String, value: String)] {
        try assignments.map { text in
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                throw ConfigError(source: source, field: text, message: "expected key=value")
            }
            return (String(text[..<eq]), String(text[text.index(after: eq)...]))
        }
    }

    /// `value` with `overrides` applied in order.
    public static func apply<T: Codable>(_ overrides: [(key: String, value: String)], to value: T, source: String) throws -> T {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var result = value
        for (key, text) in overrides {
            guard var object = try JSONSerialization.jsonObject(with: encoder.encode(result)) as? [String: Any] else {
                throw ConfigError(source: source, field: key, message: "the configuration has no named fields")
            }
            let optional = (T.self as? OptionalConfigurationFields.Type)?.optionalFields ?? [:]
            guard let old = object[key] ?? optional[key] else {
                let fields = Set(object.keys).union(optional.keys).sorted()
                throw ConfigError(source: source, field: key, message: "no such field; expected one of \(fields.joined(separator: ", "))")
            }
            let parsed = parseValue(text, like: old)
            if !isFinite(parsed) {  // a configuration is JSON (the job's identity), which has no NaN or infinity
                throw ConfigError(source: source, field: key, message: "expected a finite number, got '\(text)'")
            }
            object[key] = parsed
            do {
                result = try decoder.decode(T.self, from: JSONSerialization.data(withJSONObject: object))
            } catch let DecodingError.typeMismatch(type, _) {
                throw ConfigError(source: source, field: key, message: "expected a value of type \(type), got '\(text)'")
            } catch let DecodingError.dataCorrupted(context) {
                // A `ListedChoice` names the value itself ("unknown precision 'fp16'; expected one of …").
                let reason = context.debugDescription
                throw ConfigError(source: source, field: key, message: reason.contains("'\(text)'") ? reason : "'\(text)' not accepted: \(reason)")
            }
        }
        return result
    }

    /// Reads `text` as JSON-like: where the field holds a list, a JSON array (`[0.5,0.8]`, what a
    /// pipeline's YAML list becomes) or a comma list (`0.5,0.8`); else a boolean, an integer, a
    /// number or a string. Decoding then checks it has the field's type.
    private static func parseValue(_ text: String, like old: Any) -> Any {
        if old is [Any] {
            if text.hasPrefix("["), let array = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any] { return array }
            return text.split(separator: ",").map { scalar(String($0).trimmingCharacters(in: .whitespaces)) }
        }
        return scalar(text)
    }

    /// False for a NaN or infinite number, alone or in a list.
    private static func isFinite(_ value: Any) -> Bool {
        if let list = value as? [Any] { return list.allSatisfy(isFinite) }
        return (value as? Double)?.isFinite ?? true
    }

    private static func scalar(_ text: String) -> Any {
        if let flag = Bool(text) { return flag }
        if let integer = Int(text) { return integer }
        if let number = Double(text) { return number }
        return text
    }
}
