/// A floating-point JSON number, finite by construction, written as Python's `repr(float)`.
///
/// JSON has no NaN or infinity. Python's `json.dumps` would write `NaN` or `Infinity`, which is
/// not JSON (strict parsers, `JSONSerialization` and SQLite's `json_extract` reject it), and the
/// old cache-key code wrote the string `"nan"`, which reads back as a different value. So a
/// non-finite number is refused where it enters, with a `NonFiniteNumberError` naming the field.
///
/// The text is the shortest decimal that reads back as the same `Double` (Swift's `description`
/// and Python's `repr` choose the same digits), laid out as Python does: positional with a `.0`
/// when the decimal exponent is in -4 ..< 16 (`0.0001`, `1.0`, `9007199254740994.0`),
/// else `1e-05`, `1.5e+16`. Swift's `description` differs only for 2^53 < |x| < 1e16, where it
/// already switches to exponent form.
public struct FiniteNumber: Sendable {
    public let value: Double

    /// `value` if it is finite; otherwise an error naming `field` (a dotted path such as `params.lr`).
    public init(_ value: Double, field: String) throws {
        guard value.isFinite else { throw NonFiniteNumberError(field: field, value: value) }
        self.value = value
    }

    /// The number as Python's `repr(value)` writes it.
    public var text: String {
        let (negative, digits, exponent) = Self.shortestDigits(value)
        let sign = negative ? "-" : ""
        guard !digits.isEmpty else { return sign + "0.0" }
        if exponent < -4 || exponent >= 16 {
            let mantissa = digits.count == 1 ? digits : String(digits.prefix(1)) + "." + String(digits.dropFirst())
            let magnitude = String(abs(exponent))
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
        }
        if exponent < 0 { return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits }
        let integerCount = exponent + 1
        let padded = digits + String(repeating: "0", count: max(0, integerCount - digits.count))
        let fraction = String(padded.dropFirst(integerCount))
        return sign + String(padded.prefix(integerCount)) + "." + (fraction.isEmpty ? "0" : fraction)
    }

    /// The shortest round-trip significant digits of `x` (no leading or trailing zeros; empty for
    /// zero) and the decimal exponent of the first digit, read off Swift's `description`.
    private static func shortestDigits(_ x: Double) -> (negative: Bool, digits: String, exponent: Int) {
        var text = Substring(x.description)
        let negative = text.first == "-"
        if negative { text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!   // `description` writes e-05, e+16
            text = text[..<e]
        }
        let point = text.firstIndex(of: ".") ?? text.endIndex
        let integerPart = text[..<point]
        let fractionPart = point == text.endIndex ? "" : text[text.index(after: point)...]
        let all = String(integerPart) + String(fractionPart)
        guard let first = all.firstIndex(where: { $0 != "0" }) else { return (negative, "", 0) }
        let leadingZeros = all.distance(from: all.startIndex, to: first)
        var digits = String(all[first...])
        while digits.last == "0" { digits.removeLast() }
        return (negative, digits, exponent + integerPart.count - 1 - leadingZeros)
    }
}

/// A NaN or infinity where a JSON number was required.
public struct NonFiniteNumberError: Error, CustomStringConvertible {
    /// Where the number sits, as a dotted path (`params.lr`, `history[3].loss`).
    public var field: String
    public var value: Double

    public var description: String {
        "field '\(field)': expected a finite number, found \(value); JSON has no NaN or infinity"
    }
}
