/// Intra-class compactness and inter-class separability of a feature set (METHOD.md §6).
public struct FeatureGeometry {
    /// Per class: mean over its samples of cos(f_i, μ_c), × 100.
    public let compactness: [Double]
    /// Compactness over classes (mean ± std).
    public let compactnessSummary: MeanStd
    /// `K × K` cosines between the centred class means μ_c − μ̄.
    public let meanCosines: [[Double]]
    /// Mean of the off-diagonal mean cosines (lower is more separated; a simplex ETF gives −1/(K−1)).
    public let meanCosine: Double
    /// Largest off-diagonal mean cosine: the closest pair of classes.
    public let maxCosine: Double
    /// Per class: max_{j≠c} cos(μ_c − μ̄, μ_j − μ̄), the cosine to the nearest other class.
    public let nearestClassCosine: [Double]
    /// Fisher ratio tr(S_B)/tr(S_W), S_B = (1/K) Σ_c (μ_c − μ̄)(μ_c − μ̄)ᵀ and S_W the
    /// class-averaged within-class covariance (each class weighs 1/K, whatever its size).
    public let fisherRatio: Double

    public init(_ features: LabelledFeatures) {
        let k = features.classCount, d = features.dimension
        var cosineSums = [Double](repeating: 0, count: k)
        var scatter = [Double](repeating: 0, count: k)
        for i in 0..<features.count {
            let c = features.labels[i]
            let f = features.feature(i), mu = features.row(features.classMeans, c)
            cosineSums[c] += cosine(f, mu)
            scatter[c] += zip(f, mu).reduce(0) { $0 + (Double($1.0) - $1.1) * (Double($1.0) - $1.1) }
        }
        compactness = (0..<k).map { 100 * cosineSums[$0] / Double(features.classCounts[$0]) }
        compactnessSummary = MeanStd(compactness)
        let cosines = pairwiseCosines(features.centredMeans, count: k, dimension: d)
        meanCosines = cosines
        let offDiagonal = (0..<k).flatMap { a in (0..<k).filter { $0 != a }.map { cosines[a][$0] } }
        meanCosine = offDiagonal.reduce(0, +) / Double(offDiagonal.count)
        maxCosine = offDiagonal.max()!
        nearestClassCosine = (0..<k).map { a in (0..<k).filter { $0 != a }.map { cosines[a][$0] }.max()! }
        let between = features.centredMeans.reduce(0) { $0 + $1 * $1 } / Double(k)
        let within = (0..<k).reduce(0.0) { $0 + scatter[$1] / Double(features.classCounts[$1]) } / Double(k)
        fisherRatio = within > 0 ? between / within : .infinity
    }
}
