/// "did you mean …?" for a misspelt name: the known name closest to what was typed, by edit
/// distance (insertions, deletions, substitutions and swaps of neighbours, each 1), when it is close enough to be a slip
/// of the keyboard rather than another word.
public enum NearestName {
    /// The closest of `known` to `typed`, when at most a third of its length (and at least one
    /// edit) away, comparing case-insensitively; nil otherwise or when it is `typed` itself.
    public static func suggestion(for typed: String, among known: some Sequence<String>) -> String? {
        let target = Array(typed.lowercased())
        let limit = max(1, target.count / 3)
        let scored = known.map { ($0, distance(target, Array($0.lowercased()))) }.filter { $0.1 > 0 && $0.1 <= limit }
        return scored.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    /// " (did you mean 'train'?)", or "" when nothing is close: for appending to an error message.
    public static func hint(for typed: String, among known: some Sequence<String>) -> String {
        suggestion(for: typed, among: known).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// Edit distance counting an insertion, a deletion, a substitution or a swap of two
    /// neighbours as one edit (optimal string alignment): "trian" is one edit from "train".
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var d = (0...a.count).map { i in (0...b.count).map { j in i == 0 ? j : (j == 0 ? i : 0) } }
        for i in a.indices {
            for j in b.indices {
                var best = min(d[i][j + 1] + 1, d[i + 1][j] + 1, d[i][j] + (a[i] == b[j] ? 0 : 1))
                if i > 0, j > 0, a[i] == b[j - 1], a[i - 1] == b[j] { best = min(best, d[i - 1][j - 1] + 1) }
                d[i + 1][j + 1] = best
            }
        }
        return d[a.count][b.count]
    }
}
