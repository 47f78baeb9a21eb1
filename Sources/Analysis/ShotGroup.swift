/// The usual long-tail split of classes by their number of training samples:
/// many-shot (more than 100), medium-shot (20…100) and few-shot (fewer than 20).
public enum ShotGroup: String, CaseIterable, Codable, Comparable {
    case many, medium, few

    /// Class-count thresholds; the defaults are the convention of the long-tail literature.
    public struct Thresholds: Equatable {
        /// A class with more than this many training samples is many-shot.
        public var manyAbove: Int
        /// A class with fewer than this many training samples is few-shot.
        public var fewBelow: Int
        public init(manyAbove: Int = 100, fewBelow: Int = 20) {
            precondition(fewBelow <= manyAbove + 1, "few-shot threshold must not exceed the many-shot one")
            self.manyAbove = manyAbove
            self.fewBelow = fewBelow
        }
    }

    /// The group of a class with `trainingCount` training samples.
    public init(trainingCount: Int, thresholds: Thresholds = Thresholds()) {
        if trainingCount > thresholds.manyAbove { self = .many }
        else if trainingCount < thresholds.fewBelow { self = .few }
        else { self = .medium }
    }

    public static func < (a: ShotGroup, b: ShotGroup) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Summaries of a per-class quantity within each non-empty group.
    public static func summaries(of perClass: [Double], trainingCounts: [Int],
                                 thresholds: Thresholds = Thresholds()) -> [ShotGroup: MeanStd] {
        precondition(perClass.count == trainingCounts.count, "one training count per class")
        var grouped: [ShotGroup: [Double]] = [:]
        for (value, count) in zip(perClass, trainingCounts) {
            grouped[ShotGroup(trainingCount: count, thresholds: thresholds), default: []].append(value)
        }
        return grouped.mapValues { MeanStd($0) }
    }
}
