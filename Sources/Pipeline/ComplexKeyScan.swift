/// Finds mapping keys that are not plain scalars — an explicit `? key` or an alias used as a key
/// (`*a : value`) — before Yams composes the file. Yams hashes every key to find duplicates, and
/// an alias key can stand for billions of nodes, so such a file must be refused before composing.
/// Pipeline files never need them: every key is a name. Quoted scalars and comments are skipped.
enum ComplexKeyScan {
    /// The 1-based line and column of the first complex key in `text`, or nil.
    static func firstComplexKey(in text: String) -> (line: Int, column: Int)? {
        let scalars = Array(text.unicodeScalars)
        var line = 1, column = 1
        var quote: Unicode.Scalar?
        var previous: Unicode.Scalar = "\n"   // the last scalar that was not a space or tab
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            defer {
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
                if scalar != " " && scalar != "\t" { previous = scalar }
                index += 1
            }
            if let open = quote {
                if scalar == open {
                    if open == "'" && index + 1 < scalars.count && scalars[index + 1] == "'" { index += 1; column += 1; continue }
                    quote = nil
                } else if open == "\"" && scalar == "\\" { index += 1; column += 1 }
                continue
            }
            let atTokenStart = " \t\n[{,-:".unicodeScalars.contains(previous) || index == 0
            switch scalar {
            case "#" where index == 0 || scalars[index - 1] == " " || scalars[index - 1] == "\t" || scalars[index - 1] == "\n":
                while index + 1 < scalars.count && scalars[index + 1] != "\n" { index += 1; column += 1 }
            case "'", "\"" where atTokenStart:
                quote = scalar
            case "?" where "\n{,".unicodeScalars.contains(previous) || (previous == "-" && index > 0 && scalars[index - 1] == " "):
                if index + 1 == scalars.count || " \t\n".unicodeScalars.contains(scalars[index + 1]) { return (line, column) }
            case "*" where atTokenStart:
                var end = index + 1
                while end < scalars.count && !" \t\n,[]{}".unicodeScalars.contains(scalars[end]) { end += 1 }
                var next = end
                while next < scalars.count && (scalars[next] == " " || scalars[next] == "\t") { next += 1 }
                if end > index + 1, next < scalars.count, scalars[next] == ":" { return (line, column) }
            default:
                break
            }
        }
        return nil
    }
}
