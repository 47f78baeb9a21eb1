import Yams

/// A limit on the size of a pipeline file once its YAML aliases are expanded. Yams resolves an
/// alias to (a shared copy of) the anchored node, so nine nested levels of nine aliases describe
/// 9⁹ nodes in a dozen lines: walking that tree would take minutes and converting it would
/// exhaust memory. The budget walks the composed tree, counting nodes, and stops as soon as the
/// count passes the limit — so checking costs at most `maximumNodes` steps. (Yams drops anchor
/// names after composing, so expanded copies cannot be told apart from written-out nodes; the
/// limit is therefore on the whole file, far above what a 100,000-step sweep needs.)
struct AliasBudget {
    /// YAML nodes a file may describe with every alias expanded.
    static let maximumNodes = 2_000_000

    /// A file goes over the budget; `node` is where the count passed the limit.
    struct Exceeded: Error {
        var message: String
        var node: Node
    }

    private var count = 0

    /// Throws `Exceeded` when `root` expands to more than `maximumNodes` nodes.
    static func check(_ root: Node) throws {
        var budget = AliasBudget()
        try budget.visit(root)
    }

    private mutating func visit(_ node: Node) throws {
        count += 1
        guard count <= Self.maximumNodes else {
            throw Exceeded(message: "the file describes more than \(Self.maximumNodes) YAML nodes once its aliases are "
                           + "expanded (an alias bomb?); write the values out or use a grid", node: node)
        }
        switch node {
        case .scalar, .alias: break
        case .sequence(let items): for item in items { try visit(item) }
        case .mapping(let pairs): for (key, value) in pairs { try visit(key); try visit(value) }
        }
    }
}
