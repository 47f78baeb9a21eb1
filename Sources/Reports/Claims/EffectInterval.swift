import Foundation

/// A difference and its 95 % confidence interval: Welch's for two groups of seeds, Student's
/// interval on the per-seed differences for two values of the same runs (paired), Student's
/// one-sample interval for our mean against a published value.
public struct EffectInterval: Equatable {
    /// The point estimate: mean(a) − mean(b), or mean(ours) − published.
    public let effect: Double
    public let low: Double
    public let high: Double
    /// Welch–Satterthwaite (two groups) or n − 1 (one group) degrees of freedom.
    public let degreesOfFreedom: Double

    /// Welch's t-interval on mean(a) − mean(b); nil unless both groups have ≥ 2 finite values and
    /// some spread (seeds that all agree, as on a tiny test set, give no variance to build one from).
    public static func welch(_ a: [Double], _ b: [Double], confidence: Double = 0.95) -> EffectInterval? {
        guard let x = Moments(a), let y = Moments(b) else { return nil }
        let effect = x.mean - y.mean
        let va = x.variance / Double(x.count), vb = y.variance / Double(y.count)
        let standardError = (va + vb).squareRoot()
        guard standardError > 0 else { return nil }
        let df = (va + vb) * (va + vb) / (va * va / Double(x.count - 1) + vb * vb / Double(y.count - 1))
        let half = StudentT.quantile(0.5 + confidence / 2, df: df) * standardError
        return EffectInterval(effect: effect, low: effect - half, high: effect + half, degreesOfFreedom: df)
    }

    /// Student's t-interval on the mean of `a[i] − b[i]`: two values measured on the same runs (a
    /// model after stage 2 and its own stage-1 model, seed by seed), whose run-to-run spread
    /// cancels in each difference. Nil with fewer than 2 pairs or differences that all agree.
    public static func paired(_ a: [Double], _ b: [Double], confidence: Double = 0.95) -> EffectInterval? {
        precondition(a.count == b.count, "paired values come in pairs")
        return oneSample(zip(a, b).map { $0 - $1 }, minus: 0, confidence: confidence)
    }

    /// Student's t-interval on mean(values) − reference; nil with fewer than 2 finite values or none
    /// of them different.
    public static func oneSample(_ values: [Double], minus reference: Double, confidence: Double = 0.95) -> EffectInterval? {
        guard let x = Moments(values) else { return nil }
        let effect = x.mean - reference
        let standardError = (x.variance / Double(x.count)).squareRoot()
        let df = Double(x.count - 1)
        guard standardError > 0 else { return nil }
        let half = StudentT.quantile(0.5 + confidence / 2, df: df) * standardError
        return EffectInterval(effect: effect, low: effect - half, high: effect + half, degreesOfFreedom: df)
    }

    /// Mean and sample variance (n − 1) of at least two finite values.
    struct Moments {
        let mean: Double, variance: Double, count: Int
        init?(_ values: [Double]) {
            let finite = values.filter(\.isFinite)
            guard finite.count >= 2 else { return nil }
            count = finite.count
            let m = finite.reduce(0, +) / Double(count)
            mean = m
            variance = finite.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(count - 1)
        }
    }
}
