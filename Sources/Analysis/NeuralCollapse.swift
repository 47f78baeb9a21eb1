/// Neural-collapse figures (Papyan, Han & Donoho 2020) of a feature set and classifier.
public struct NeuralCollapse {
    /// NC1 = tr(Σ_W Σ_B⁺)/K: within-class variability relative to the spread of the class
    /// means; 0 when every feature sits on its class mean. Σ_W and Σ_B are class-balanced
    /// (see `FeatureGeometry.fisherRatio`).
    public let nc1: Double
    /// std/mean of ‖μ_c − μ̄‖ over classes (0: equal norms).
    public let meanEquinorm: Double
    /// std over pairs c < c' of cos(μ_c − μ̄, μ_c' − μ̄) (0: equal angles).
    public let meanEquiangularity: Double
    /// mean over pairs of |cos + 1/(K−1)| of the centred means (0: a simplex ETF).
    public let meanMaxAngleGap: Double
    /// The same three for the classifier rows w_k (nil without a classifier).
    public let classifierEquinorm: Double?
    public let classifierEquiangularity: Double?
    public let classifierMaxAngleGap: Double?

    /// Eigenvalues of the centred-means Gram matrix below this fraction of the largest
    /// count as zero in the pseudo-inverse (the centring leaves one exact null direction).
    public static let pseudoInverseCutoff = 1e-10

    public init(_ features: LabelledFeatures, classifierWeights: [Float]? = nil) {
        let k = features.classCount, d = features.dimension
        let means = features.centredMeans
        let meanNorms = (0..<k).map { norm(features.row(means, $0)) }
        meanEquinorm = MeanStd(meanNorms).std / MeanStd(meanNorms).mean
        let meanCos = pairwiseCosines(means, count: k, dimension: d)
        (meanEquiangularity, meanMaxAngleGap) = Self.angles(meanCos)
        if let w = classifierWeights {
            precondition(w.count == k * (w.count / k) && w.count >= k, "classifier must be K × d")
            let wd = w.count / k, rows = w.map(Double.init)
            let wNorms = (0..<k).map { norm(rows[($0 * wd)..<(($0 + 1) * wd)]) }
            classifierEquinorm = MeanStd(wNorms).std / MeanStd(wNorms).mean
            let (equi, gap) = Self.angles(pairwiseCosines(rows, count: k, dimension: wd))
            (classifierEquiangularity, classifierMaxAngleGap) = (equi, gap)
        } else {
            (classifierEquinorm, classifierEquiangularity, classifierMaxAngleGap) = (nil, nil, nil)
        }
        nc1 = Self.nc1(features)
    }

    private static func angles(_ cosines: [[Double]]) -> (std: Double, gap: Double) {
        let k = cosines.count
        let pairs = (0..<k).flatMap { a in ((a + 1)..<k).map { cosines[a][$0] } }
        let gap = pairs.reduce(0) { $0 + abs($1 + 1 / Double(k - 1)) } / Double(pairs.count)
        return (MeanStd(pairs).std, gap)
    }

    /// With M the `d × K` centred means, Σ_B = M Mᵀ/K. From the Gram matrix G = MᵀM = V Λ Vᵀ,
    /// u_i = M v_i / √λ_i are the eigenvectors of Σ_B with eigenvalues λ_i/K, so
    /// tr(Σ_W Σ_B⁺)/K = Σ_{λ_i > cutoff} u_iᵀ Σ_W u_i / λ_i — no `d × d` matrix is formed.
    private static func nc1(_ features: LabelledFeatures) -> Double {
        let k = features.classCount, d = features.dimension
        let m = features.centredMeans
        var gram = [Double](repeating: 0, count: k * k)
        for a in 0..<k { for b in 0..<k { gram[a * k + b] = zip(features.row(m, a), features.row(m, b)).reduce(0) { $0 + $1.0 * $1.1 } } }
        let eigen = SymmetricEigen(gram, size: k)
        guard let largest = eigen.values.first, largest > 0 else { return .infinity }
        let kept = eigen.values.indices.filter { eigen.values[$0] > largest * pseudoInverseCutoff }
        // Directions u_i (d each) for the kept eigenvalues.
        let directions: [[Double]] = kept.map { i in
            let scale = 1 / eigen.values[i].squareRoot()
            return (0..<d).map { j in (0..<k).reduce(0) { $0 + m[$1 * d + j] * eigen.vectors[i][$1] } * scale }
        }
        // u_iᵀ Σ_W u_i with Σ_W = (1/K) Σ_c (1/n_c) Σ_{n∈c} (f_n − μ_c)(f_n − μ_c)ᵀ.
        var projected = [Double](repeating: 0, count: kept.count)
        var centred = [Double](repeating: 0, count: d)
        for n in 0..<features.count {
            let c = features.labels[n]
            let weight = 1 / (Double(k) * Double(features.classCounts[c]))
            for j in 0..<d { centred[j] = Double(features.values[n * d + j]) - features.classMeans[c * d + j] }
            for (slot, u) in directions.enumerated() {
                let p = zip(centred, u).reduce(0) { $0 + $1.0 * $1.1 }
                projected[slot] += weight * p * p
            }
        }
        return kept.indices.reduce(0) { $0 + projected[$1] / eigen.values[kept[$1]] }
    }
}
