/// A split of a CIFAR dataset in memory: uint8 images in the archive's CHW layout
/// (3 × 32 × 32 bytes per image, channel planes R, G, B) and their labels.
public struct LabeledImages: Sendable {
    /// `count × 3072` bytes, image i at `i * 3072`.
    public var pixels: [UInt8]
    /// Class of each image (the fine label for CIFAR-100).
    public var labels: [Int]
    /// CIFAR-100's superclass of each image; nil for CIFAR-10.
    public var coarseLabels: [Int]?

    public init(pixels: [UInt8], labels: [Int], coarseLabels: [Int]? = nil) {
        precondition(pixels.count == labels.count * CIFARFormat.imageBytes, "pixel bytes do not match label count")
        precondition(coarseLabels == nil || coarseLabels!.count == labels.count, "coarse label count")
        self.pixels = pixels
        self.labels = labels
        self.coarseLabels = coarseLabels
    }

    public var count: Int { labels.count }

    /// Images per class, for `classCount` classes.
    public func classCounts(classCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[label] += 1 }
        return counts
    }

    /// The images at `indices`, in that order (e.g. a long-tailed subset).
    public func subset(_ indices: [Int]) -> LabeledImages {
        let size = CIFARFormat.imageBytes
        var pixels = [UInt8](repeating: 0, count: indices.count * size)
        pixels.withUnsafeMutableBufferPointer { out in
            self.pixels.withUnsafeBufferPointer { source in
                for (row, index) in indices.enumerated() {
                    out.baseAddress!.advanced(by: row * size)
                        .update(from: source.baseAddress!.advanced(by: index * size), count: size)
                }
            }
        }
        return LabeledImages(pixels: pixels, labels: indices.map { labels[$0] },
                             coarseLabels: coarseLabels.map { coarse in indices.map { coarse[$0] } })
    }
}

/// A CIFAR dataset read from verified files: training and test split.
public struct CIFARDataset: Sendable {
    public let kind: CIFARKind
    public var train: LabeledImages
    public var test: LabeledImages
    /// True when the files came from `bce3s data synth` rather than the official release.
    public let isSynthetic: Bool

    public var classCount: Int { kind.format.classCount }
}
