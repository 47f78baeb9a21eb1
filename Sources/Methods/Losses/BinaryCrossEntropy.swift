import Tensor

/// The BCE form shared by all three BCE3S terms (METHOD.md §3): per sample
/// Σ_{k∈S} [ t_k·softplus(−z_k) + l·[t_k = 0]·softplus(z_k) ], then the mean over the batch.
///
/// With soft targets a class with 0 < t_k < 1 (the partner class of a mixed sample) gets only
/// its positive term, as in the authors' `neg_mask = (onehot == 0)`.
public struct BinaryCrossEntropy {
    /// Logits are clamped to [−clamp, clamp] first (the authors' `strict` = 64); `nil` = no clamp.
    public var clamp: Float?
    /// The weight l of the negative terms.
    public var negativeWeight: Float

    public init(clamp: Float? = 64, negativeWeight: Float = 1) {
        self.clamp = clamp
        self.negativeWeight = negativeWeight
    }

    /// - Parameters:
    ///   - logits: `[N, K]`.
    ///   - targets: labels or soft targets.
    ///   - classSet: the classes S the sum runs over (`nil` = all K), e.g. from `PartialClassSet`.
    ///   - sampleWeights: a weight per sample multiplying its whole sum (stage 2's class-balanced
    ///     weights w_{y}); the reduction stays the plain mean over N.
    public func callAsFunction(logits: Tensor, targets: Targets, classSet: [Int]? = nil,
                               sampleWeights: [Float]? = nil) -> Tensor {
        let (n, k) = (logits.shape[0], logits.shape[1])
        let t = targets.matrix(classCount: k)
        var inSet = [Float](repeating: classSet == nil ? 1 : 0, count: k)
        for c in classSet ?? [] { inSet[c] = 1 }
        let positive = t.scalars, l = negativeWeight
        var negative = [Float](repeating: 0, count: n * k)
        for i in 0..<n { for j in 0..<k where positive[i * k + j] == 0 { negative[i * k + j] = l * inSet[j] } }
        let setRow = Tensor(shape: [k], scalars: inSet)

        let z = clamp.map { logits.clamped(min: -$0, max: $0) } ?? logits
        let elements = (t * setRow) * (-z).softplus() + Tensor(shape: [n, k], scalars: negative) * z.softplus()
        let perSample = elements.sum(axis: 1)
        guard let sampleWeights else { return perSample.mean() }
        precondition(sampleWeights.count == n, "BinaryCrossEntropy: \(sampleWeights.count) sample weights for \(n) samples")
        return (perSample * Tensor(shape: [n], scalars: sampleWeights)).mean()
    }
}

/// The class set S of BCE3S's negative subsampling: every class present in the batch plus
/// random absent ones, ⌊r·K⌋ in all. When more than ⌊r·K⌋ classes are present all of them are
/// kept (our fix of the authors' arbitrary subset; METHOD.md §3). Returned sorted.
public func partialClassSet(labels: [Int], classCount k: Int, ratio r: Float,
                            generator: inout SeededGenerator) -> [Int] {
    precondition(r > 0 && r <= 1, "partialClassSet: ratio r = \(r) outside (0, 1]")
    let size = Int(Float(k) * r)   // ⌊r·K⌋ as Python's int(K * r)
    var present = [Bool](repeating: false, count: k)
    for y in labels { present[y] = true }
    var absent = (0..<k).filter { !present[$0] }
    let extra = max(0, size - (k - absent.count))
    // A partial Fisher–Yates shuffle: the first `extra` entries become a uniform random subset.
    for i in 0..<extra {
        let j = i + Int(generator.next() % UInt64(absent.count - i))
        absent.swapAt(i, j)
    }
    return ((0..<k).filter { present[$0] } + absent.prefix(extra)).sorted()
}
