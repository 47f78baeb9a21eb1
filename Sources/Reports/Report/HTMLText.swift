import Foundation

/// Escaping and the inline Markdown our tables and ledger use (`**bold**`, `` `code` ``), as HTML.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Escapes `text`, then turns `**…**` into `<strong>` and `` `…` `` into `<code>`.
    static func inline(_ text: String) -> String {
        var html = escape(text)
        html = replacePairs(in: html, marker: "**", open: "<strong>", close: "</strong>")
        html = replacePairs(in: html, marker: "`", open: "<code>", close: "</code>")
        return html
    }

    private static func replacePairs(in text: String, marker: String, open: String, close: String) -> String {
        let pieces = text.components(separatedBy: marker)
        guard pieces.count >= 3 else { return text }
        var out = pieces[0]
        for index in 1..<pieces.count {
            let inside = index % 2 == 1
            // An unpaired last marker stays as it was.
            if inside && index == pieces.count - 1 { out += marker + pieces[index]; break }
            out += (inside ? open : close) + pieces[index]
        }
        return out
    }
}
