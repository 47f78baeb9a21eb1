import Tensor

/// Principal components of the rows of an `N × D` matrix: the reduction step of t-SNE
/// (to 50 dimensions) and its initial layout (the first two components).
struct PrincipalComponents {
    /// Column means of the data.
    let mean: [Float]
    /// Eigenvectors of the covariance (rows, descending variance), from `SymmetricEigen`.
    let axes: [[Double]]
    /// Variance along each axis.
    let variances: [Double]
    let dimension: Int

    /// Fits on `values` (`N × D`, row-major). The covariance is one `sgemm` (OpenBLAS via `Tensor`).
    init(_ values: [Float], count n: Int, dimension d: Int) {
        var mean = [Float](repeating: 0, count: d)
        var sums = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { sums[j] += Double(values[i * d + j]) } }
        for j in 0..<d { mean[j] = Float(sums[j] / Double(n)) }
        let centred = Tensor(shape: [n, d], scalars: values.indices.map { values[$0] - mean[$0 % d] })
        let scatter = Tensor.matmul(centred.transposed(), centred).scalars  // [D, D]
        let covariance = (0..<(d * d)).map { Double(scatter[$0] + scatter[($0 % d) * d + $0 / d]) / (2 * Double(max(n - 1, 1))) }
        let eigen = SymmetricEigen(covariance, size: d)
        self.mean = mean
        self.axes = eigen.vectors
        self.variances = eigen.values
        self.dimension = d
    }

    /// Scores of `values` on the first `components` axes (`N × components`, row-major).
    func project(_ values: [Float], count n: Int, components: Int) -> [Float] {
        let d = dimension
        var out = [Float](repeating: 0, count: n * components)
        out.withUnsafeMutableBufferPointer { buffer in
            let scores = buffer
            forEachChunk(n) { rows in
                for i in rows {
                    for c in 0..<components {
                        var s = 0.0
                        for j in 0..<d { s += Double(values[i * d + j] - mean[j]) * axes[c][j] }
                        scores[i * components + c] = Float(s)
                    }
                }
            }
        }
        return out
    }
}
