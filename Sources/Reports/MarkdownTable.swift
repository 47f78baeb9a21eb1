/// A GitHub-flavoured Markdown table: a header, an alignment row and the rows, with the
/// columns padded so the source reads as a table too. `|` in cells is escaped.
public struct MarkdownTable: Equatable {
    public enum Alignment { case left, right }

    public var header: [String]
    public var alignments: [Alignment]
    public var rows: [[String]]

    public init(header: [String], alignments: [Alignment]? = nil, rows: [[String]]) {
        precondition(rows.allSatisfy { $0.count == header.count }, "every row needs \(header.count) cells")
        self.header = header
        self.alignments = alignments ?? [.left] + Array(repeating: .right, count: max(header.count - 1, 0))
        self.rows = rows
    }

    public func rendered() -> String {
        let escaped = ([header] + rows).map { $0.map { $0.replacingOccurrences(of: "|", with: "\\|") } }
        let widths = header.indices.map { column in max(3, escaped.map { $0[column].count }.max() ?? 3) }
        func line(_ cells: [String]) -> String {
            "| " + cells.indices.map { i in
                let pad = String(repeating: " ", count: widths[i] - cells[i].count)
                return alignments[i] == .left ? cells[i] + pad : pad + cells[i]
            }.joined(separator: " | ") + " |"
        }
        let rule = "|" + header.indices.map { i in
            alignments[i] == .left ? ":" + String(repeating: "-", count: widths[i] + 1) : String(repeating: "-", count: widths[i] + 1) + ":"
        }.joined(separator: "|") + "|"
        return ([line(escaped[0]), rule] + escaped.dropFirst().map(line)).joined(separator: "\n") + "\n"
    }
}
