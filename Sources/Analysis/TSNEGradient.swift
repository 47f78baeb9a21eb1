import Foundation

/// One evaluation of t-SNE's gradient in openTSNE's convention, ¼ ∂KL/∂y_i =
/// α Σ_j P_ij w_ij (y_i − y_j) − (1/Z) Σ_j w_ij² (y_i − y_j), with w_ij = 1/(1 + ‖y_i − y_j‖²),
/// Z = Σ_{i≠j} w_ij and the repulsive sums from a Barnes-Hut tree.
///
/// Every point's sums are computed by one thread in a fixed order, and Z is reduced over
/// points in index order, so the result does not depend on the number of threads.
struct TSNEGradient {
    /// `[gx0, gy0, gx1, gy1, …]`.
    let gradient: [Double]
    /// KL(P‖Q) (with α = 1), or NaN when not requested.
    let klDivergence: Double

    init(embedding: [Double], affinities: TSNEAffinities, theta: Double, exaggeration: Double, computeKL: Bool) {
        let n = embedding.count / 2
        var repulsive = [Double](repeating: 0, count: 3 * n)  // fx, fy, z per point
        var attractive = [Double](repeating: 0, count: 3 * n) // fx, fy, Σ P log(P/w) per point
        embedding.withUnsafeBufferPointer { y in
            let tree = BarnesHutTree(y)
            let stackSize = 4 * tree.depthBound + 8
            repulsive.withUnsafeMutableBufferPointer { repulsiveBuffer in
                attractive.withUnsafeMutableBufferPointer { attractiveBuffer in
                    let (rep, att) = (repulsiveBuffer, attractiveBuffer)
                    forEachChunk(n, chunks: 32) { points in
                        let stack = UnsafeMutablePointer<Int32>.allocate(capacity: stackSize)
                        defer { stack.deallocate() }
                        for i in points {
                            let (x, yy) = (y[2 * i], y[2 * i + 1])
                            let force = tree.repulsion(x: x, y: yy, theta: theta, stack: stack)
                            (rep[3 * i], rep[3 * i + 1], rep[3 * i + 2]) = (force.fx, force.fy, force.z)
                            var fx = 0.0, fy = 0.0, kl = 0.0
                            for entry in affinities.rowStart[i]..<affinities.rowStart[i + 1] {
                                let j = Int(affinities.columns[entry]), p = affinities.values[entry]
                                let dx = x - y[2 * j], dy = yy - y[2 * j + 1]
                                let w = 1 / (1 + dx * dx + dy * dy)
                                fx += p * w * dx
                                fy += p * w * dy
                                if computeKL, p > 0 { kl += p * log(p / w) }
                            }
                            (att[3 * i], att[3 * i + 1], att[3 * i + 2]) = (fx, fy, kl)
                        }
                    }
                }
            }
        }
        var z = 0.0, kl = 0.0
        for i in 0..<n { z += repulsive[3 * i + 2]; kl += attractive[3 * i + 2] }
        var gradient = [Double](repeating: 0, count: 2 * n)
        for i in 0..<n {
            gradient[2 * i] = exaggeration * attractive[3 * i] - repulsive[3 * i] / z
            gradient[2 * i + 1] = exaggeration * attractive[3 * i + 1] - repulsive[3 * i + 1] / z
        }
        self.gradient = gradient
        // Σ P_ij log(P_ij / q_ij) with q_ij = w_ij / Z and Σ P_ij = 1.
        klDivergence = computeKL ? kl + log(z) : .nan
    }
}
