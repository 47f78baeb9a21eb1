/// A two-column list for a command's help text (`name  what it is`), wrapped here with the
/// continuation lines under the text column: ArgumentParser wraps a long discussion line at the
/// screen width and starts its continuation at column 0, under the names.
enum HelpList {
    /// `rows` as lines of at most `width` characters: two spaces, the name padded to the longest
    /// name, two spaces, then the text, wrapped at spaces.
    static func format(_ rows: [(name: String, text: String)], width: Int = 78) -> String {
        let nameWidth = rows.map(\.name.count).max() ?? 0
        let indent = String(repeating: " ", count: 2 + nameWidth + 2)
        return rows.map { row in
            var lines: [String] = []
            var line = "  " + row.name.padding(toLength: nameWidth + 1, withPad: " ", startingAt: 0)
            var lineHasText = false
            for word in row.text.split(separator: " ") {
                if lineHasText && line.count + 1 + word.count > width {
                    lines.append(line)
                    line = indent + word
                } else {
                    line += " " + word
                }
                lineHasText = true
            }
            lines.append(line)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
