import Foundation

/// Long-tailed subsets of a balanced training set (the "Cao/LDAM" protocol, METHOD.md §1).
public enum ImbalanceProfile: String, CaseIterable, Codable, Sendable {
    /// n_c = int(n_max · (1/IF)^(c/(C−1))).
    case exponential
    /// The first ⌊C/2⌋ classes keep n_max, the rest int(n_max / IF).
    case step

    /// Images kept per class, computed with the same floating-point operations as LDAM-DRW's
    /// `get_img_num_per_cls` so the truncations agree.
    public func counts(classCount: Int, maxPerClass: Int, imbalance: Double) -> [Int] {
        precondition(classCount > 1 && imbalance >= 1, "need ≥ 2 classes and an imbalance factor ≥ 1")
        let nMax = Double(maxPerClass), factor = 1.0 / imbalance
        switch self {
        case .exponential:
            return (0..<classCount).map { c in
                Int(nMax * pow(factor, Double(c) / (Double(classCount) - 1.0)))
            }
        case .step:
            let head = classCount / 2
            return (0..<classCount).map { $0 < head ? Int(nMax) : Int(nMax * factor) }
        }
    }
}

/// Which images of a class are kept.
public enum SelectionPolicy: String, CaseIterable, Codable, Sendable {
    /// LDAM-DRW: `np.random.seed(0)`, then per class in order shuffle its indices and keep the
    /// first n_c — one NumPy legacy stream across all classes.
    case ldam
    /// The BCE3S code: the first n_c of each class in file order.
    case first
}

/// A long-tailed subset: the kept global training indices, class by class.
public struct LongTailSubset: Sendable, Equatable {
    /// Kept indices into the training split, in kept order (class 0's first, then class 1's, …).
    public let indices: [Int]
    /// Images kept per class.
    public let counts: [Int]

    /// Selects `counts[c]` images of each class c from `labels` (the training labels in file
    /// order) with `policy`; `seed` is the NumPy seed of the `ldam` policy (0 in LDAM-DRW).
    public init(labels: [Int], counts: [Int], policy: SelectionPolicy, seed: UInt32 = 0) {
        var byClass = [[Int]](repeating: [], count: counts.count)
        for (index, label) in labels.enumerated() { byClass[label].append(index) }
        var rng = NumPyLegacyRandom(seed: seed)
        var kept: [Int] = []
        for (c, wanted) in counts.enumerated() {
            var candidates = byClass[c]
            if policy == .ldam { rng.shuffle(&candidates) }
            kept += candidates.prefix(wanted)
        }
        self.indices = kept
        self.counts = byClass.indices.map { min(counts[$0], byClass[$0].count) }
    }

    /// The subset of a balanced training set: n_max is its images per class (LDAM-DRW's
    /// `img_max = len(data) / cls_num`), so it works for the real and the generated datasets.
    /// Throws for an imbalance factor that is not finite or ≥ 1, or so large that a class keeps no image.
    public init(balancedLabels labels: [Int], classCount: Int, profile: ImbalanceProfile, imbalance: Double,
                policy: SelectionPolicy, seed: UInt32 = 0) throws {
        let maxPerClass = labels.count / classCount
        guard imbalance.isFinite, imbalance >= 1 else {
            throw DatasetError.invalidArgument("imbalance factor \(imbalance): expected a finite number >= 1")
        }
        let counts = profile.counts(classCount: classCount, maxPerClass: maxPerClass, imbalance: imbalance)
        if let empty = counts.firstIndex(of: 0) {
            throw DatasetError.invalidArgument("imbalance factor \(imbalance) leaves class \(empty) without images "
                + "(\(maxPerClass) images per class before the cut): use a factor of at most \(maxPerClass)")
        }
        self.init(labels: labels, counts: counts, policy: policy, seed: seed)
    }

    public var total: Int { indices.count }

    /// SHA-256 of the indices as little-endian Int64 in kept order: a fingerprint to compare
    /// subsets across implementations.
    public var indicesSHA256: String { Self.sha256(ofIndices: indices) }

    /// SHA-256 of `indices` as little-endian Int64.
    public static func sha256(ofIndices indices: [Int]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(indices.count * 8)
        for index in indices { withUnsafeBytes(of: Int64(index).littleEndian) { bytes += $0 } }
        return Checksums.sha256Hex(bytes)
    }
}
