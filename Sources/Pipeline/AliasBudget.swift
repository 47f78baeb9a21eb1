import Yams

/// Limits on YAML aliases in a pipeline file. Yams resolves an alias to the anchored node, so
/// nine nested levels of nine aliases describe 9⁹ nodes in a dozen lines: walking such a tree
/// would exhaust memory. The budget is measured on the composed tree in time linear in the file
/// (each anchored node is sized once), before anything walks the expanded tree.
struct AliasBudget {
    /// Alias uses a file may contain.
    static let maximumAliases = 1_000
    /// Nodes the file may describe once every alias is expanded.
    static let maximumExpandedNodes = 100_000

    /// A file goes over the budget; `node` is where (the anchored node whose use went over).
    struct Exceeded: Error {
        var message: String
        var node: Node
    }

    private var sizes: [AnchorIdentity: Int] = [:]
    private var aliases = 0

    /// Throws `Exceeded` when `root` uses too many aliases or expands to too many nodes.
    static func check(_ root: Node) throws {
        var budget = AliasBudget()
        let total = try budget.expandedSize(root)
        guard total <= maximumExpandedNodes else {
            throw Exceeded(message: "the file expands to \(total) YAML nodes through its aliases; "
                           + "at most \(maximumExpandedNodes) are allowed", node: root)
        }
    }

    /// The anchored definition a node comes from: its anchor and where it was written.
    private struct AnchorIdentity: Hashable {
        var anchor: String
        var line: Int
        var column: Int
    }

    private mutating func expandedSize(_ node: Node) throws -> Int {
        let identity = node.anchor.map { AnchorIdentity(anchor: $0.rawValue, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0) }
        if let identity, let known = sizes[identity] {
            aliases += 1
            guard aliases <= Self.maximumAliases else {
                throw Exceeded(message: "more than \(Self.maximumAliases) YAML aliases (last: *\(identity.anchor))", node: node)
            }
            return known
        }
        var size = 1
        switch node {
        case .scalar, .alias: break
        case .sequence(let items): for item in items { size = try add(size, try expandedSize(item), node) }
        case .mapping(let pairs):
            for (key, value) in pairs { size = try add(add(size, try expandedSize(key), node), try expandedSize(value), node) }
        }
        if let identity { sizes[identity] = size }
        return size
    }

    /// `a + b`, failing as soon as the running total passes the limit (so sizes never overflow).
    private func add(_ a: Int, _ b: Int, _ node: Node) throws -> Int {
        let sum = a + b
        guard sum <= Self.maximumExpandedNodes else {
            let anchor = node.anchor.map { " (in &\($0.rawValue))" } ?? ""
            throw Exceeded(message: "YAML aliases expand to more than \(Self.maximumExpandedNodes) nodes\(anchor); "
                           + "write the values out or use a grid", node: node)
        }
        return sum
    }
}
