/// A small, fast, seedable generator (SplitMix64) for augmentation, sampling and generated data.
///
/// Determinism across threads comes from deriving an independent generator per use
/// (`SplitMix64(seed:stream:)`, e.g. one per epoch and sample position) instead of sharing one
/// generator between workers.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for sub-stream `stream` of `seed`, statistically independent of the others.
    public init(seed: UInt64, stream: UInt64...) {
        var mixed = SplitMix64.mix(seed)
        for value in stream { mixed = SplitMix64.mix(mixed ^ SplitMix64.mix(value &+ 0x632B_E59B_D9B4_E019)) }
        state = mixed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform integer in [0, bound) (Lemire's multiply-shift, negligible bias for small bounds).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { nextDouble() < p }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
