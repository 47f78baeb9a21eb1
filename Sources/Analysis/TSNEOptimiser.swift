/// Gradient descent with momentum and per-coordinate gains, as openTSNE's optimiser:
/// a gain grows by 0.2 when the gradient turns against the last step and decays as
/// 0.8·g + min_gain otherwise; each point's step is clipped to `maxStepNorm`, and the
/// embedding is re-centred after every step. Gains and steps carry over between phases.
struct TSNEOptimiser {
    private var gains: [Double]
    private var update: [Double]
    private let theta: Double
    private let minGain: Double
    private let maxStepNorm: Double

    init(count n: Int, configuration: TSNE.Configuration) {
        gains = [Double](repeating: 1, count: 2 * n)
        update = [Double](repeating: 0, count: 2 * n)
        theta = configuration.theta
        minGain = configuration.minGain
        maxStepNorm = configuration.maxStepNorm
    }

    /// One iteration; returns the KL divergence before the step (NaN unless `computeKL`).
    mutating func step(_ embedding: inout [Double], _ affinities: TSNEAffinities, exaggeration: Double,
                       momentum: Double, learningRate: Double, computeKL: Bool) -> Double {
        let evaluation = TSNEGradient(embedding: embedding, affinities: affinities, theta: theta,
                                      exaggeration: exaggeration, computeKL: computeKL)
        let g = evaluation.gradient
        let n = embedding.count / 2
        for index in 0..<(2 * n) {
            if sign(update[index]) != sign(g[index]) { gains[index] += 0.2 } else { gains[index] = gains[index] * 0.8 + minGain }
            update[index] = momentum * update[index] - learningRate * gains[index] * g[index]
        }
        var meanX = 0.0, meanY = 0.0
        for i in 0..<n {
            let norm = (update[2 * i] * update[2 * i] + update[2 * i + 1] * update[2 * i + 1]).squareRoot()
            if norm > maxStepNorm {
                update[2 * i] *= maxStepNorm / norm
                update[2 * i + 1] *= maxStepNorm / norm
            }
            embedding[2 * i] += update[2 * i]
            embedding[2 * i + 1] += update[2 * i + 1]
            meanX += embedding[2 * i]
            meanY += embedding[2 * i + 1]
        }
        meanX /= Double(n); meanY /= Double(n)
        for i in 0..<n { embedding[2 * i] -= meanX; embedding[2 * i + 1] -= meanY }
        return evaluation.klDivergence
    }

    /// −1, 0 or 1, as NumPy's `sign`.
    private func sign(_ value: Double) -> Int { value > 0 ? 1 : (value < 0 ? -1 : 0) }
}
