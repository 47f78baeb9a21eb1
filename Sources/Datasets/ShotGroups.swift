/// Many / Medium / Few classes by training-set count, the usual long-tail breakdown.
public enum ShotGroup: String, CaseIterable, Sendable, Codable {
    case many, medium, few
}

/// Thresholds of the shot groups: Many if count > `manyAbove`, Few if count < `fewBelow`,
/// Medium otherwise. The common rule is 100 / 20; the BCE3S code puts exactly 20 in Few, which is
/// `fewBelow: 21`.
public struct ShotGroupRule: Sendable, Equatable {
    public var manyAbove: Int
    public var fewBelow: Int

    public init(manyAbove: Int = 100, fewBelow: Int = 20) {
        precondition(fewBelow <= manyAbove + 1, "Few threshold above Many threshold")
        self.manyAbove = manyAbove
        self.fewBelow = fewBelow
    }

    /// The common definition: Many > 100, Medium 20–100, Few < 20.
    public static let standard = ShotGroupRule()
    /// The BCE3S code's variant: Few ≤ 20.
    public static let bce3sCode = ShotGroupRule(manyAbove: 100, fewBelow: 21)

    public func group(forCount count: Int) -> ShotGroup {
        if count > manyAbove { return .many }
        if count < fewBelow { return .few }
        return .medium
    }

    /// The group of each class given per-class training counts.
    public func groups(classCounts: [Int]) -> [ShotGroup] { classCounts.map(group(forCount:)) }

    /// Classes of each group, in class order (empty groups included).
    public func classes(classCounts: [Int]) -> [ShotGroup: [Int]] {
        var result: [ShotGroup: [Int]] = [.many: [], .medium: [], .few: []]
        for (c, count) in classCounts.enumerated() { result[group(forCount: count)]!.append(c) }
        return result
    }
}
