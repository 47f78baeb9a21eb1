import CanonicalJSON
import Foundation
import XCTest

/// `JSONValue.text` against Python's `json.dumps(v, sort_keys=…, separators=(",", ":"),
/// ensure_ascii=False)` on awkward strings, numbers and nested objects
/// (`Fixtures/make_canonical_json_fixture.py` wrote the goldens).
final class CanonicalJSONGoldenTests: XCTestCase {
    private struct Case: Decodable {
        var name: String
        var sortKeys: Bool
        var value: Typed
        var expected: String

        enum CodingKeys: String, CodingKey { case name, sortKeys = "sort_keys", value, expected }
    }

    /// The fixture's typed description of a value: floats as `float.hex()`, objects as
    /// `[key, value]` pairs in Python's insertion order.
    private indirect enum Typed: Decodable {
        case string(String), int(Int), float(String), bool(Bool), array([Typed]), object([(String, Typed)])

        private enum Tag: String, CodingKey { case string, int, float, bool, array, object }
        private struct Pair: Decodable {
            var key: String
            var value: Typed
            init(from decoder: Decoder) throws {
                var pair = try decoder.unkeyedContainer()
                key = try pair.decode(String.self)
                value = try pair.decode(Typed.self)
            }
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: Tag.self)
            guard let tag = container.allKeys.first, container.allKeys.count == 1 else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected one tag"))
            }
            switch tag {
            case .string: self = .string(try container.decode(String.self, forKey: tag))
            case .int: self = .int(try container.decode(Int.self, forKey: tag))
            case .float: self = .float(try container.decode(String.self, forKey: tag))
            case .bool: self = .bool(try container.decode(Bool.self, forKey: tag))
            case .array: self = .array(try container.decode([Typed].self, forKey: tag))
            case .object: self = .object(try container.decode([Pair].self, forKey: tag).map { ($0.key, $0.value) })
            }
        }

        func json(sortKeys: Bool) throws -> JSONValue {
            switch self {
            case .string(let s): return .string(s)
            case .int(let i): return .integer(i)
            case .float(let hex):
                let value = try XCTUnwrap(Double(hex), "float.hex() \(hex) does not parse")
                return .number(try FiniteNumber(value, field: hex))
            case .bool(let b): return .bool(b)
            case .array(let items): return .array(try items.map { try $0.json(sortKeys: sortKeys) })
            case .object(let pairs):
                let members = try pairs.map { JSONValue.Member($0.0, try $0.1.json(sortKeys: sortKeys)) }
                guard sortKeys else { return .object(members) }
                XCTAssertEqual(Set(pairs.map(\.0)).count, pairs.count, "keys must stay distinct as Swift strings")
                return .sortedObject(Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value) }))
            }
        }
    }

    private func goldens() throws -> [Case] {
        let url = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/canonical_json.json")
        return try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    }

    func testEveryGoldenIsWrittenAsPythonWritesIt() throws {
        let cases = try goldens()
        XCTAssertEqual(cases.count, 78, "the fixture lost or gained cases; regenerate and update this count")
        for golden in cases {
            XCTAssertEqual(try golden.value.json(sortKeys: golden.sortKeys).text, golden.expected, golden.name)
        }
    }

    /// The escapes the issue found missing in one of the two old writers, spelled out.
    func testShortEscapesAndLowercaseHex() {
        XCTAssertEqual(JSONString.quoted("\u{08}\u{0C}\u{00}\u{1F}\u{7F}\"\\"), #""\b\f\u0000\u001f"# + "\u{7F}" + #"\"\\""#)
    }
}
