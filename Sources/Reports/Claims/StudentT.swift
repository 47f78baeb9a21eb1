import Foundation

/// Student's t distribution: the two-sided quantiles the claims ledger's confidence intervals need,
/// for any positive (also fractional, Welch–Satterthwaite) degrees of freedom.
enum StudentT {
    /// The `p` quantile (0.5 < p < 1) with `df` degrees of freedom, e.g. `quantile(0.975, df: 2)` = 4.3027.
    /// Bisection on the distribution function to 1e-12 relative accuracy.
    static func quantile(_ p: Double, df: Double) -> Double {
        precondition(p > 0.5 && p < 1 && df > 0, "quantile needs 0.5 < p < 1 and df > 0")
        var low = 0.0, high = 1.0
        while cdf(high, df: df) < p { high *= 2 }
        for _ in 0..<200 where high - low > 1e-12 * high {
            let middle = (low + high) / 2
            if cdf(middle, df: df) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// P(T ≤ t) = 1 − I_x(df/2, 1/2) / 2 for t ≥ 0, with x = df / (df + t²).
    static func cdf(_ t: Double, df: Double) -> Double {
        let tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), a: df / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// I_x(a, b) by the continued fraction of Numerical Recipes §6.4 (modified Lentz), using the
    /// symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly.
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logFront: Double = logBeta + a * log(x) + b * log(1 - x)
        if x < (a + 1) / (a + b + 2) { return exp(logFront) * continuedFraction(x, a: a, b: b) / a }
        return 1 - exp(logFront) * continuedFraction(1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        d = 1 / (abs(d) < tiny ? tiny : d)
        var result = d
        for m in 1...10_000 {
            let m = Double(m)
            let even: Double = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            let odd: Double = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            for numerator in [even, odd] {
                d = 1 + numerator * d
                d = 1 / (abs(d) < tiny ? tiny : d)
                c = 1 + numerator / c
                if abs(c) < tiny { c = tiny }
                result *= d * c
            }
            if abs(d * c - 1) < 1e-15 { break }
        }
        return result
    }
}
