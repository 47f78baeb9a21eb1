import Foundation

/// A data-to-screen mapping for one axis with "nice" tick values (1, 2, 2.5, 5 × 10ⁿ on a
/// linear axis; powers of ten, with 2 and 5 in between when the range is short, on a log axis,
/// whose ends are the nearest 1, 2 or 5 × 10ⁿ around the data).
public struct Axis {
    public enum Kind: Equatable { case linear, log10 }

    public let kind: Kind
    /// The domain shown, already widened to tick boundaries (and by `widened(by:)`).
    public private(set) var lower: Double, upper: Double
    public let ticks: [Double]
    public let label: String

    /// An axis covering `values` (non-finite ones ignored; non-positive ones too on a log
    /// axis). `include` adds values that must be visible (e.g. 0 for bars). `integerTicks`
    /// keeps linear ticks on whole numbers (epochs, counts). `endsAtData` ends a linear domain
    /// at the largest value instead of the next tick, so that an epoch axis stops at the last
    /// epoch (210) rather than leaving a blank stretch to the tick after it (250).
    public init(_ kind: Kind = .linear, covering values: [Double], include: [Double] = [], label: String, maxTicks: Int = 6,
                integerTicks: Bool = false, endsAtData: Bool = false) {
        self.kind = kind
        self.label = label
        let usable = (values + include).filter { $0.isFinite && (kind == .linear || $0 > 0) }
        var low = usable.min() ?? (kind == .linear ? 0 : 1), high = usable.max() ?? (kind == .linear ? 1 : 10)
        switch kind {
        case .linear:
            if high - low < 1e-12 * max(abs(low), 1) { low -= max(abs(low) * 0.1, 0.5); high += max(abs(high) * 0.1, 0.5) }
            var step = Self.niceStep((high - low) / Double(max(maxTicks - 1, 1)))
            if integerTicks { step = step < 1 ? 1 : step == 2.5 ? 2 : step }
            lower = (low / step).rounded(.down) * step
            upper = endsAtData ? high : (high / step).rounded(.up) * step
            ticks = stride(from: lower, through: upper + step * 1e-9, by: step).map { abs($0) < step * 1e-9 ? 0 : $0 }
        case .log10:
            // The domain ends on the nearest 1, 2 or 5 × 10ⁿ around the data (whole decades
            // would waste up to a decade of width); ticks at 1-2-5 steps over short ranges.
            let steps = (-30...30).flatMap { e in [1.0, 2, 5].map { $0 * pow(10, Double(e)) } }
            let bottom = steps.last { $0 <= low * (1 + 1e-9) } ?? low
            let top = max(steps.first { $0 >= high * (1 - 1e-9) } ?? high, bottom * 10)
            lower = bottom
            upper = top
            let decades = log10(top / bottom)
            ticks = steps.filter { $0 >= bottom * (1 - 1e-9) && $0 <= top * (1 + 1e-9) }
                .filter { decades <= 2.5 || abs(log10($0) - log10($0).rounded()) < 1e-9 }
        }
    }

    /// A linear axis with a fixed domain and ticks (categorical positions, heat-map cells).
    public init(lower: Double, upper: Double, ticks: [Double], label: String) {
        (kind, self.lower, self.upper, self.ticks, self.label) = (.linear, lower, upper, ticks, label)
    }

    /// The same axis with its domain widened by `fraction` of its length at both ends (in log
    /// space on a log axis) and the same ticks: room for markers drawn at the data's extremes,
    /// which would otherwise sit on the plot's frame.
    public func widened(by fraction: Double) -> Axis {
        var copy = self
        switch kind {
        case .linear:
            let span = upper - lower
            (copy.lower, copy.upper) = (lower - span * fraction, upper + span * fraction)
        case .log10:
            let span = log10(upper) - log10(lower)
            (copy.lower, copy.upper) = (lower / pow(10, span * fraction), upper * pow(10, span * fraction))
        }
        return copy
    }

    /// Position in 0…1 along the axis (outside for values beyond the domain).
    public func fraction(_ value: Double) -> Double {
        switch kind {
        case .linear: return (value - lower) / (upper - lower)
        case .log10: return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
    }

    /// Tick label: as few decimals as the tick spacing needs; powers of ten and very
    /// large or small numbers in scientific form.
    public func format(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = ticks.map { abs($0) }.filter { $0 > 0 }.max() ?? abs(value)
        if kind == .log10 || magnitude >= 1e5 || magnitude < 1e-3 {
            if kind == .log10, value >= 1, value < 1e5, value == value.rounded() { return String(Int(value)) }
            let exponent = Int(log10(abs(value)).rounded(.down))
            let mantissa = value / pow(10, Double(exponent))
            let head = abs(mantissa - 1) < 1e-9 ? "" : String(format: "%g×", mantissa)
            return head + "10" + superscript(exponent)
        }
        let step = ticks.count > 1 ? abs(ticks[1] - ticks[0]) : abs(value)
        var decimals = max(0, -Int(log10(step).rounded(.down)))
        if abs((step * pow(10, Double(decimals))).rounded() - step * pow(10, Double(decimals))) > 1e-6 { decimals += 1 }
        return String(format: "%.\(decimals)f", value)
    }

    /// 1, 2, 2.5, 5 or 10 × 10ⁿ, the smallest not below `rough`.
    static func niceStep(_ rough: Double) -> Double {
        let magnitude = pow(10, log10(rough).rounded(.down))
        let residual = rough / magnitude
        let nice: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10
        return nice * magnitude
    }

    private func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(String(abs(n)).map { digits[Int(String($0))!] })
    }
}
