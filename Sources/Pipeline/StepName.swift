/// The rule for step names. A name becomes a folder under `results/` (`tables/<name>/`,
/// `figures/<name>/`) and is printed to the terminal, so it is limited to a safe set of characters:
/// ASCII letters, digits and `. _ - + = , @`, not starting with `.` or `-`, at most 200 characters.
/// No `/`, no `..`, no control characters: a name can never leave `results/` or drive the terminal.
public enum StepName {
    public static let maximumLength = 200

    /// Nil when `name` is acceptable, else what is wrong with it (without echoing control characters).
    public static func problem(_ name: String) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+=,@")
        if name.isEmpty { return "a step name cannot be empty" }
        if name.count > maximumLength { return "a step name has at most \(maximumLength) characters, found \(name.count)" }
        if let bad = name.first(where: { !allowed.contains($0) }) {
            return "step name '\(printable(name))' contains \(describe(bad)); "
                + "use ASCII letters, digits and . _ - + = , @ (names become folders under results/)"
        }
        if name.hasPrefix(".") || name.hasPrefix("-") {
            return "step name '\(name)' must not start with '\(name.first!)' (names become folders under results/)"
        }
        return nil
    }

    /// `name` as written, but with every character that could drive or hide from the terminal
    /// (controls, format characters such as bidirectional overrides, separators) shown as `\u{…}`.
    public static func printable(_ name: String) -> String {
        name.unicodeScalars.map { isVisible($0) ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined()
    }

    private static func isVisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .surrogate, .privateUse, .unassigned:
            return scalar == " "
        default:
            return true
        }
    }

    private static func describe(_ character: Character) -> String {
        if character == "/" { return "'/' (a name cannot be a path)" }
        let scalars = character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
        return character.unicodeScalars.allSatisfy(isVisible) ? "'\(character)' (\(scalars))" : "the character \(scalars)"
    }
}
