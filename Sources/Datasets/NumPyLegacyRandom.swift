/// NumPy's legacy global generator (`np.random.seed(n)` + `np.random.shuffle`), bit for bit.
///
/// The long-tailed CIFAR subsets of LDAM-DRW and its follow-ups are defined by this generator:
/// MT19937 seeded with `init_genrand(seed)`, and `shuffle` as a Fisher–Yates pass from the end
/// drawing each index by masked rejection. Reimplementing it exactly is what makes our subsets the
/// same images other papers train on (see METHOD.md §1, test vector: first output 2357136044).
public struct NumPyLegacyRandom {
    private var state = [UInt32](repeating: 0, count: 624)
    private var position = 624

    /// Seeds like `np.random.seed(seed)` for an integer seed in [0, 2^32).
    public init(seed: UInt32) {
        state[0] = seed
        for i in 1..<624 {
            let previous = state[i - 1]
            state[i] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(i)
        }
        position = 624
    }

    /// The next raw 32-bit MT19937 output (`genrand_int32`).
    public mutating func nextUInt32() -> UInt32 {
        if position >= 624 { regenerate() }
        var y = state[position]
        position += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// A uniform integer in [0, max] by NumPy's legacy masked rejection (`random_interval`).
    public mutating func interval(_ max: UInt32) -> UInt32 {
        if max == 0 { return 0 }
        var mask = max
        mask |= mask >> 1
        mask |= mask >> 2
        mask |= mask >> 4
        mask |= mask >> 8
        mask |= mask >> 16
        while true {
            let value = nextUInt32() & mask
            if value <= max { return value }
        }
    }

    /// Shuffles in place exactly like legacy `np.random.shuffle` on a 1-D array.
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, through: 1, by: -1) {
            let j = Int(interval(UInt32(i)))
            values.swapAt(i, j)
        }
    }

    private mutating func regenerate() {
        let upperMask: UInt32 = 0x8000_0000, lowerMask: UInt32 = 0x7FFF_FFFF
        for i in 0..<624 {
            let y = (state[i] & upperMask) | (state[(i + 1) % 624] & lowerMask)
            var next = state[(i + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { next ^= 0x9908_B0DF }
            state[i] = next
        }
        position = 0
    }
}
