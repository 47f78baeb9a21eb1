/// The per-image training transform of a recipe: uint8 crop → flip → AutoAugment, then
/// normalisation to Float and Cutout on the normalised image (METHOD.md §1 order).
public struct AugmentationPipeline: Sendable {
    /// Zero padding of the random 32×32 crop; nil: no crop.
    public var cropPadding: Int?
    public var horizontalFlip: Bool
    public var autoAugment: AutoAugmentCIFAR10?
    public var cutout: Cutout?
    public var normalization: Normalization

    public init(cropPadding: Int? = 4, horizontalFlip: Bool = true, autoAugment: AutoAugmentCIFAR10? = nil,
                cutout: Cutout? = nil, normalization: Normalization = .cifar) {
        self.cropPadding = cropPadding
        self.horizontalFlip = horizontalFlip
        self.autoAugment = autoAugment
        self.cutout = cutout
        self.normalization = normalization
    }

    /// Evaluation: normalisation only.
    public static let evaluation = AugmentationPipeline(cropPadding: nil, horizontalFlip: false)
    /// The `ldam` recipe: crop + flip.
    public static let standard = AugmentationPipeline()
    /// The `bce3s-paper` recipe: crop + flip + AutoAugment + Cutout(16).
    public static let bce3s = AugmentationPipeline(autoAugment: AutoAugmentCIFAR10(), cutout: Cutout(size: 16))

    /// Transforms `image` with draws from `rng` and writes the normalised CHW floats to `out`.
    public func apply(_ image: RGBImage, rng: inout SplitMix64, into out: UnsafeMutablePointer<Float>) {
        var current = image
        if let padding = cropPadding { current = current.randomCrop(padding: padding, rng: &rng) }
        if horizontalFlip { current = current.randomFlip(rng: &rng) }
        if let autoAugment { current = autoAugment.apply(to: current, rng: &rng) }
        normalization.write(current, into: out)
        cutout?.apply(to: out, width: current.width, height: current.height, rng: &rng)
    }
}
