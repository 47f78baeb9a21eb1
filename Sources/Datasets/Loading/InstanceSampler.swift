import Foundation

/// Draws training positions with replacement, each sample weighted by n_c^(−ρ) for its class c
/// (ρ = 0: uniform over samples; ρ = 1: uniform over classes). Used for the second batch of
/// GLMC-style mixing (METHOD.md §3).
public struct InstanceSampler: Sendable {
    public let rho: Double
    private let positionsByClass: [[Int]]
    /// Cumulative class probabilities (class c has mass n_c · n_c^(−ρ)).
    private let cumulative: [Double]

    /// `labels`: the class of every position of the (long-tailed) training set.
    public init(labels: [Int], classCount: Int, rho: Double) {
        var byClass = [[Int]](repeating: [], count: classCount)
        for (position, label) in labels.enumerated() { byClass[label].append(position) }
        var running = 0.0
        cumulative = byClass.map { members in
            running += members.isEmpty ? 0 : Double(members.count) * pow(Double(members.count), -rho)
            return running
        }
        precondition(running > 0, "InstanceSampler needs at least one labelled sample")
        positionsByClass = byClass
        self.rho = rho
    }

    /// Probability that one draw lands in class c.
    public var classProbabilities: [Double] {
        cumulative.enumerated().map { c, total in (total - (c == 0 ? 0 : cumulative[c - 1])) / cumulative.last! }
    }

    /// One position: a class by its mass, then a member uniformly.
    public func sample(rng: inout SplitMix64) -> Int {
        let u = rng.nextDouble() * cumulative.last!
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > u { high = middle } else { low = middle + 1 }
        }
        let members = positionsByClass[low]
        return members[rng.nextInt(below: members.count)]
    }

    public func sample(count: Int, rng: inout SplitMix64) -> [Int] { (0..<count).map { _ in sample(rng: &rng) } }
}
