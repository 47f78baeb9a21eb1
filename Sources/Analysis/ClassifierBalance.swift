import Foundation

/// How evenly a linear classifier `W` (`K × d`, row-major) treats head and tail classes
/// (METHOD.md §6): its row norms against the training class sizes, and how close each
/// class vector comes to its nearest neighbour.
public struct ClassifierBalance {
    /// ‖w_k‖ per class.
    public let norms: [Double]
    /// Per class: max_{j≠k} cos(ŵ_k, ŵ_j).
    public let maxCosine: [Double]
    /// `K × K` cosines cos(ŵ_j, ŵ_k) (the heat map).
    public let cosines: [[Double]]
    /// Norms over classes, and over the few-shot (tail) classes.
    public let normSummary: MeanStd
    public let tailNormSummary: MeanStd?
    /// Per-class max cosine over classes, and over the tail (the paper: std 0.106 on tail
    /// classes with uniform learning).
    public let maxCosineSummary: MeanStd
    public let tailMaxCosineSummary: MeanStd?
    /// Pearson correlation of ‖w_k‖ with log n_k: near +1 when the head classes get the
    /// longer vectors (the usual CE bias), near 0 when balanced; nil if all n_k are equal.
    public let normLogCountCorrelation: Double?

    /// `trainingCounts[k]` is n_k; `tailClasses` are the few-shot classes.
    public init(weights: [Float], classCount k: Int, trainingCounts: [Int], tailClasses: Set<Int>) throws {
        guard k >= 2, !weights.isEmpty, weights.count % k == 0 else {
            throw LabelledFeatures.InputError(field: "classifier weights", expected: "K × d values with K = \(k)",
                                              found: "\(weights.count) values")
        }
        guard trainingCounts.count == k else {
            throw LabelledFeatures.InputError(field: "training counts", expected: "\(k) class sizes", found: "\(trainingCounts.count)")
        }
        let d = weights.count / k
        let rows = weights.map(Double.init)
        let norms = (0..<k).map { norm(rows[($0 * d)..<(($0 + 1) * d)]) }
        let cosines = pairwiseCosines(rows, count: k, dimension: d)
        let maxCosine = (0..<k).map { a in (0..<k).filter { $0 != a }.map { cosines[a][$0] }.max()! }
        let tail = (0..<k).filter(tailClasses.contains)
        (self.norms, self.cosines, self.maxCosine) = (norms, cosines, maxCosine)
        normSummary = MeanStd(norms)
        maxCosineSummary = MeanStd(maxCosine)
        tailNormSummary = tail.isEmpty ? nil : MeanStd(tail.map { norms[$0] })
        tailMaxCosineSummary = tail.isEmpty ? nil : MeanStd(tail.map { maxCosine[$0] })
        normLogCountCorrelation = pearson(norms, trainingCounts.map { log(Double(max($0, 1))) })
    }
}

/// Pearson correlation; nil when either side is constant.
func pearson(_ x: [Double], _ y: [Double]) -> Double? {
    let mx = MeanStd(x), my = MeanStd(y)
    guard mx.std > 0, my.std > 0 else { return nil }
    let covariance = zip(x, y).reduce(0) { $0 + ($1.0 - mx.mean) * ($1.1 - my.mean) } / Double(x.count)
    return covariance / (mx.std * my.std)
}
