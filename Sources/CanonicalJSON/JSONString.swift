/// JSON string literals as Python's `json.dumps(s, ensure_ascii=False)` and serde_json (the
/// reference safetensors writer) write them — the two agree byte for byte.
///
/// Escaped: `"` and `\`, the short forms `\b \f \n \r \t`, and every other code point below
/// U+0020 as `\u00xx` (lowercase hex). Everything else — U+007F, non-ASCII, U+2028 — is written
/// as its UTF-8 bytes: we match `ensure_ascii=False` because that is what every stored cache key
/// and checkpoint header already holds.
public enum JSONString {
    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u00" + String(hexDigits[Int(scalar.value >> 4)]) + String(hexDigits[Int(scalar.value & 0xF)])
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static let hexDigits = Array("0123456789abcdef")
}
