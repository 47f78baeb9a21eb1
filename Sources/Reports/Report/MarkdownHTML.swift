import Foundation

/// The Markdown our tables are written in, as HTML: pipe tables (first row the header), numbered
/// lists and paragraphs separated by blank lines. Nothing else is needed, so nothing else is parsed.
enum MarkdownHTML {
    static func render(_ markdown: String) -> String {
        var html: [String] = []
        for block in blocks(markdown) {
            if block.allSatisfy({ $0.hasPrefix("|") }) {
                html.append(table(block))
            } else if block.allSatisfy({ numberedItem($0) != nil }) {
                html.append("<ol>" + block.map { "<li>\(HTMLText.inline(numberedItem($0)!))</li>" }.joined() + "</ol>")
            } else {
                html.append("<p>\(HTMLText.inline(block.joined(separator: " ")))</p>")
            }
        }
        return html.joined(separator: "\n")
    }

    /// Lines grouped into blocks at blank lines and where a table starts or ends.
    static func blocks(_ markdown: String) -> [[String]] {
        var blocks: [[String]] = [], current: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { if !current.isEmpty { blocks.append(current); current = [] }; continue }
            if let last = current.last, last.hasPrefix("|") != trimmed.hasPrefix("|") { blocks.append(current); current = [] }
            current.append(trimmed)
        }
        if !current.isEmpty { blocks.append(current) }
        return blocks
    }

    static func numberedItem(_ line: String) -> String? {
        guard let dot = line.firstIndex(of: "."), !line[..<dot].isEmpty, line[..<dot].allSatisfy(\.isNumber),
              line[line.index(after: dot)...].hasPrefix(" ") else { return nil }
        return String(line[line.index(dot, offsetBy: 2)...])
    }

    /// Cells of a pipe-table row, with `\|` kept as a literal bar.
    static func cells(_ row: String) -> [String] {
        let protected = row.replacingOccurrences(of: "\\|", with: "\u{1}")
        var parts = protected.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        if parts.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { parts.removeFirst() }
        if parts.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { parts.removeLast() }
        return parts.map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{1}", with: "|") }
    }

    static func table(_ rows: [String]) -> String {
        guard let header = rows.first else { return "" }
        let rule = rows.count > 1 ? cells(rows[1]) : []
        let isRule = !rule.isEmpty && rule.allSatisfy { $0.allSatisfy { ":-".contains($0) } }
        let alignments = isRule ? rule.map { $0.hasSuffix(":") && !$0.hasPrefix(":") ? "right" : "left" } : []
        func cell(_ tag: String, _ text: String, _ index: Int) -> String {
            let align = index < alignments.count && alignments[index] == "right" ? " class=\"num\"" : ""
            return "<\(tag)\(align)>\(HTMLText.inline(text))</\(tag)>"
        }
        let body = rows.dropFirst(isRule ? 2 : 1).map { row in
            "<tr>" + cells(row).enumerated().map { cell("td", $0.element, $0.offset) }.joined() + "</tr>"
        }
        return "<table><thead><tr>" + cells(header).enumerated().map { cell("th", $0.element, $0.offset) }.joined()
            + "</tr></thead><tbody>" + body.joined() + "</tbody></table>"
    }
}
