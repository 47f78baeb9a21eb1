/// One mini-batch as plain arrays: normalised Float images in NCHW order and their labels.
public struct Batch: Sendable {
    /// `count × 3 × 32 × 32` floats, image i at `i * 3072`.
    public var images: [Float]
    public var labels: [Int]
    /// Positions in the loader's `LabeledImages` (for bookkeeping and debugging).
    public var positions: [Int]

    public var count: Int { labels.count }

    public init(images: [Float] = [], labels: [Int] = [], positions: [Int] = []) {
        self.images = images
        self.labels = labels
        self.positions = positions
    }
}

/// Which positions an epoch visits, in which order.
public enum SampleOrder: Sendable {
    /// 0, 1, 2, … (evaluation).
    case sequential
    /// A fresh permutation every epoch, from the loader seed and the epoch number.
    case shuffled
    /// `count` draws with replacement from an instance sampler, every epoch anew.
    case sampled(InstanceSampler, count: Int)
}
