/// Cartesian products of grid axes and `{axis}` placeholder substitution.
enum GridExpansion {
    /// Every combination of axis values, the first axis varying slowest. No axes → one empty point.
    static func points(_ axes: [(name: String, values: [ParameterValue])]) -> [[String: ParameterValue]] {
        axes.reduce([[:]]) { partial, axis in
            partial.flatMap { point in
                axis.values.map { value in point.merging([axis.name: value]) { $1 } }
            }
        }
    }

    struct UnknownPlaceholder: Error { var name: String }

    /// Replaces each `{name}` in `template` by the display form of `point[name]`.
    static func substitute(_ template: String, _ point: [String: ParameterValue]) throws -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { throw UnknownPlaceholder(name: String(rest[open...])) }
            let name = String(rest[rest.index(after: open)..<close])
            guard let value = point[name] else { throw UnknownPlaceholder(name: name) }
            result += try value.display
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
