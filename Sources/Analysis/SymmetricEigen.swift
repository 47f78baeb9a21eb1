/// Eigen-decomposition of a small real symmetric matrix by cyclic Jacobi rotations.
///
/// Used for the PCA of t-SNE (d × d, d ≤ a few hundred) and for the pseudo-inverse in
/// NC1 (K × K); Jacobi is accurate to machine precision for symmetric input, which the
/// pseudo-inverse needs to tell the null directions (eigenvalue ≈ 0) from the others.
public struct SymmetricEigen {
    /// Eigenvalues in descending order.
    public let values: [Double]
    /// Eigenvectors as rows (`vectors[i]` belongs to `values[i]`), each of unit length and
    /// signed so that its entry of largest magnitude is positive (a deterministic choice,
    /// like scikit-learn's `svd_flip`).
    public let vectors: [[Double]]

    /// Decomposes the symmetric `n × n` matrix `matrix` (row-major; only symmetry is assumed).
    public init(_ matrix: [Double], size n: Int) {
        precondition(matrix.count == n * n, "matrix must have \(n * n) entries")
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        let scale = max(a.reduce(0) { max($0, abs($1)) }, Double.leastNormalMagnitude)
        for _ in 0..<100 {
            var off = 0.0
            for p in 0..<n { for q in (p + 1)..<max(n, p + 1) { off += a[p * n + q] * a[p * n + q] } }
            if off.squareRoot() <= 1e-15 * scale * Double(n) { break }
            for p in 0..<n {
                for q in (p + 1)..<max(n, p + 1) where a[p * n + q] != 0 {
                    Self.rotate(&a, &v, n, p, q)
                }
            }
        }
        let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] || (a[$0 * n + $0] == a[$1 * n + $1] && $0 < $1) }
        values = order.map { a[$0 * n + $0] }
        vectors = order.map { column in
            var vector = (0..<n).map { v[$0 * n + column] }
            let largest = vector.indices.max { abs(vector[$0]) < abs(vector[$1]) } ?? 0
            if n > 0, vector[largest] < 0 { vector = vector.map { -$0 } }
            return vector
        }
    }

    /// One Jacobi rotation zeroing `a[p][q]`; accumulates the rotation into `v` (columns are eigenvectors).
    private static func rotate(_ a: inout [Double], _ v: inout [Double], _ n: Int, _ p: Int, _ q: Int) {
        let apq = a[p * n + q]
        let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
        let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot()
        let s = t * c
        for k in 0..<n {
            let akp = a[k * n + p], akq = a[k * n + q]
            a[k * n + p] = c * akp - s * akq
            a[k * n + q] = s * akp + c * akq
        }
        for k in 0..<n {
            let apk = a[p * n + k], aqk = a[q * n + k]
            a[p * n + k] = c * apk - s * aqk
            a[q * n + k] = s * apk + c * aqk
        }
        for k in 0..<n {
            let vkp = v[k * n + p], vkq = v[k * n + q]
            v[k * n + p] = c * vkp - s * vkq
            v[k * n + q] = s * vkp + c * vkq
        }
    }
}
