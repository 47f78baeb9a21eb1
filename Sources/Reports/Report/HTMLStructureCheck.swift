import Foundation

/// What a person needs of the report page, checked without a browser: every `<img>` is an embedded
/// PNG that decodes (signature and a non-empty IHDR), every table has a header row, and nothing is
/// fetched from elsewhere or needs JavaScript. Returns the problems found (empty: the page is fine).
public enum HTMLStructureCheck {
    public static func problems(in html: String) -> [String] {
        var problems: [String] = []
        if html.range(of: "<script", options: .caseInsensitive) != nil { problems.append("the page uses <script>") }
        for pattern in [#"(src|href)\s*=\s*"(https?:)?//"#, #"url\(\s*['"]?(https?:)?//"#] where matches(pattern, in: html) > 0 {
            problems.append("the page loads something from the network (\(pattern))")
        }
        let images = captures(#"<img\b[^>]*>"#, in: html)
        for (index, tag) in images.enumerated() {
            guard let src = captures(#"src="([^"]*)""#, in: tag, group: 1).first else { problems.append("image \(index + 1) has no src"); continue }
            let prefix = "data:image/png;base64,"
            guard src.hasPrefix(prefix), let data = Data(base64Encoded: String(src.dropFirst(prefix.count))) else {
                problems.append("image \(index + 1) is not an embedded base64 PNG"); continue
            }
            if let problem = pngProblem(data) { problems.append("image \(index + 1): \(problem)") }
        }
        for (index, table) in captures(#"<table\b[\s\S]*?</table>"#, in: html).enumerated() {
            guard let head = captures(#"<thead>\s*<tr>([\s\S]*?)</tr>\s*</thead>"#, in: table, group: 1).first,
                  head.contains("<th") else { problems.append("table \(index + 1) has no header row"); continue }
        }
        return problems
    }

    /// Number of `<img>` and `<table>` elements, for messages.
    public static func counts(in html: String) -> (images: Int, tables: Int) {
        (captures(#"<img\b[^>]*>"#, in: html).count, captures(#"<table\b"#, in: html).count)
    }

    /// Why `data` is not a PNG a browser can draw (nil if it is): signature, IHDR chunk, size.
    static func pngProblem(_ data: Data) -> String? {
        let bytes = [UInt8](data)
        guard bytes.count > 33, bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return "not a PNG (signature)" }
        guard Array(bytes[12..<16]) == Array("IHDR".utf8) else { return "PNG without an IHDR chunk first" }
        let be = { (offset: Int) in bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        guard be(16) > 0, be(20) > 0 else { return "PNG of size \(be(16))×\(be(20))" }
        guard Array(bytes.suffix(8).prefix(4)) == Array("IEND".utf8) else { return "PNG is truncated (no IEND chunk at the end)" }
        return nil
    }

    static func captures(_ pattern: String, in text: String, group: Int = 0) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { match in Range(match.range(at: group), in: text).map { String(text[$0]) } }
    }

    static func matches(_ pattern: String, in text: String) -> Int { captures(pattern, in: text).count }
}
