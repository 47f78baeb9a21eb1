import Foundation

/// Numbers in tables and verdicts, rounded the way a reader (and SQLite's `round`) rounds the
/// decimal value: half away from zero. `String(format: "%.2f")` rounds the binary value instead,
/// so CE's Many accuracy 6174/8000 = 77.175, stored as 77.17499999999999, printed as 77.17 while
/// `SELECT round(many, 2)` gives 77.18. SQLite keeps noise that this takes for representation
/// error: C17's effect, stored as 8.624999999999986, is 8.63 here and 8.62 from `round(…, 2)`.
enum DecimalText {
    /// `value` with `places` decimals, half away from zero (binary noise below 1e-6 of the last
    /// place is taken for representation error); never "-0.00".
    static func fixed(_ value: Double, _ places: Int) -> String {
        guard value.isFinite else { return String(value) }
        let scale = pow(10, Double(places))
        let scaled = (value * scale * 1e6).rounded() / 1e6
        var rounded = scaled.rounded(.toNearestOrAwayFromZero) / scale
        if rounded == 0 { rounded = 0 }
        return String(format: "%.\(places)f", rounded)
    }
}
