/// Runs of one condition that share a seed are replicates of one training, not independent seeds:
/// they differ at most in what changes no weight (the evaluation interval, the thread count) or
/// repeat a run. Tables and claims average each seed's replicates into one value and count seeds,
/// not runs, so a repeated run never adds a ± or narrows an interval.
enum SeedReplicates {
    /// One value per seed, in seed order: the mean of that seed's finite values (nil when none of
    /// its runs has one).
    static func values<Run>(_ runs: [Run], seed: (Run) -> Int, value: (Run) -> Double?) -> [Double?] {
        bySeed(runs, seed: seed, value: value).sorted { $0.key < $1.key }.map(\.value)
    }

    /// The same values keyed by seed, to pair two sides' values of one seed.
    static func bySeed<Run>(_ runs: [Run], seed: (Run) -> Int, value: (Run) -> Double?) -> [Int: Double?] {
        Dictionary(grouping: runs, by: seed).mapValues { replicates in
            let present = replicates.compactMap(value).filter(\.isFinite)
            return present.isEmpty ? nil : present.reduce(0, +) / Double(present.count)
        }
    }

    /// The number of distinct (condition, seed) pairs among `runs`: the independent trainings.
    static func count(_ runs: [ClaimRun]) -> Int {
        struct Training: Hashable { let condition: RunCondition, seed: Int }
        return Set(runs.map { Training(condition: $0.condition, seed: $0.seed) }).count
    }
}
