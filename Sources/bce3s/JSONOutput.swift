import Foundation

/// `--json` output of the commands: one object on one line, keys sorted, written by Foundation's
/// `JSONEncoder` (no one hashes these bytes, so the canonical writer is not needed). A value JSON
/// cannot hold (NaN, infinity) is an error naming its field, not a line a parser rejects.
enum JSONOutput {
    struct UnencodableValue: Error, CustomStringConvertible {
        var field: String
        var value: String
        var description: String { "--json: field '\(field)': expected a finite number, found \(value); JSON has no NaN or infinity" }
    }

    static func line<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch EncodingError.invalidValue(let bad, let context) {
            throw UnencodableValue(field: context.codingPath.map(\.stringValue).joined(separator: "."), value: "\(bad)")
        }
    }
}
