/// A quad tree over a 2-D embedding for the Barnes-Hut approximation of t-SNE's repulsive
/// forces (van der Maaten 2014): a cell far enough from a point (side / distance < θ)
/// acts as one body of its point count at its centre of mass.
struct BarnesHutTree {
    struct Node {
        var centreX: Double, centreY: Double, halfWidth: Double
        var massX = 0.0, massY = 0.0
        var count: Int32 = 0
        /// Index of the first of four children (NW, NE, SW, SE order by quadrant bits), −1 for a leaf.
        var firstChild: Int32 = -1
    }

    private(set) var nodes: [Node] = []
    /// Cells narrower than this hold coincident points together instead of splitting.
    private let minimumHalfWidth: Double

    /// Builds the tree by inserting the points of `embedding` (`[x0, y0, x1, y1, …]`) in order.
    init(_ embedding: UnsafeBufferPointer<Double>) {
        let n = embedding.count / 2
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for i in 0..<n {
            minX = min(minX, embedding[2 * i]); maxX = max(maxX, embedding[2 * i])
            minY = min(minY, embedding[2 * i + 1]); maxY = max(maxY, embedding[2 * i + 1])
        }
        let half = max(maxX - minX, maxY - minY, 1e-12) / 2 * (1 + 1e-9)
        minimumHalfWidth = half * 1e-12
        nodes.reserveCapacity(4 * n + 1)
        nodes.append(Node(centreX: (minX + maxX) / 2, centreY: (minY + maxY) / 2, halfWidth: half))
        for i in 0..<n { insert(embedding[2 * i], embedding[2 * i + 1]) }
    }

    private mutating func insert(_ x: Double, _ y: Double) {
        var index = 0
        while true {
            if nodes[index].firstChild < 0 {
                let node = nodes[index]
                if node.count == 0 || (node.massX == x && node.massY == y) || node.halfWidth < minimumHalfWidth {
                    let total = Double(node.count) + 1
                    nodes[index].massX += (x - node.massX) / total
                    nodes[index].massY += (y - node.massY) / total
                    nodes[index].count += 1
                    return
                }
                split(index)
            }
            let total = Double(nodes[index].count) + 1
            nodes[index].massX += (x - nodes[index].massX) / total
            nodes[index].massY += (y - nodes[index].massY) / total
            nodes[index].count += 1
            index = Int(nodes[index].firstChild) + quadrant(of: nodes[index], x, y)
        }
    }

    /// Turns a leaf into an internal node and moves its (possibly repeated) point to a child.
    private mutating func split(_ index: Int) {
        let node = nodes[index]
        let quarter = node.halfWidth / 2
        nodes[index].firstChild = Int32(nodes.count)
        for q in 0..<4 {
            nodes.append(Node(centreX: node.centreX + (q & 1 == 0 ? -quarter : quarter),
                              centreY: node.centreY + (q & 2 == 0 ? -quarter : quarter), halfWidth: quarter))
        }
        let child = Int(nodes[index].firstChild) + quadrant(of: node, node.massX, node.massY)
        nodes[child].massX = node.massX
        nodes[child].massY = node.massY
        nodes[child].count = node.count
    }

    private func quadrant(of node: Node, _ x: Double, _ y: Double) -> Int {
        (x < node.centreX ? 0 : 1) + (y < node.centreY ? 0 : 2)
    }

    /// Repulsive force on the point at (x, y): returns (Σ_j w_ij² (y_i − y_j), Σ_j w_ij) over
    /// the other points, w_ij = 1/(1 + ‖y_i − y_j‖²). Leaves at the point itself are skipped.
    /// `stack` is scratch space of at least `4 × depth + 1` slots.
    func repulsion(x: Double, y: Double, theta: Double, stack: UnsafeMutablePointer<Int32>) -> (fx: Double, fy: Double, z: Double) {
        var fx = 0.0, fy = 0.0, z = 0.0
        let thetaSquared = theta * theta
        var top = 1
        stack[0] = 0
        return nodes.withUnsafeBufferPointer { tree in
            while top > 0 {
                top -= 1
                let node = tree[Int(stack[top])]
                if node.count == 0 { continue }
                let dx = x - node.massX, dy = y - node.massY
                let d2 = dx * dx + dy * dy
                let isLeaf = node.firstChild < 0
                if isLeaf && d2 < 1e-24 { continue }
                let side = 2 * node.halfWidth
                if isLeaf || side * side < thetaSquared * d2 {
                    let w = 1 / (1 + d2)
                    let mass = Double(node.count)
                    z += mass * w
                    fx += mass * w * w * dx
                    fy += mass * w * w * dy
                } else {
                    for q in 0..<4 { stack[top] = node.firstChild + Int32(q); top += 1 }
                }
            }
            return (fx, fy, z)
        }
    }

    /// An upper bound on the depth, to size the traversal stack.
    var depthBound: Int {
        var depth = 0, half = nodes[0].halfWidth
        while half >= minimumHalfWidth, depth < 64 { half /= 2; depth += 1 }
        return depth + 1
    }
}
