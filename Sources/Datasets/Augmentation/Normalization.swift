/// Per-channel normalisation to Float, Cutout on the normalised image, and the CutMix box.
public struct Normalization: Sendable, Equatable {
    public var mean: [Float]
    public var std: [Float]

    /// METHOD.md §1 (all recipes): mean (0.4914, 0.4822, 0.4465), std (0.2023, 0.1994, 0.2010).
    public static let cifar = Normalization(mean: [0.4914, 0.4822, 0.4465], std: [0.2023, 0.1994, 0.2010])

    public init(mean: [Float], std: [Float]) {
        precondition(mean.count == 3 && std.count == 3)
        self.mean = mean
        self.std = std
    }

    /// Writes (x/255 − mean_c) / std_c for every pixel into `out[offset…]` in CHW order
    /// (torchvision's `ToTensor` + `Normalize`, in Float).
    public func write(_ image: RGBImage, into out: UnsafeMutablePointer<Float>) {
        let plane = image.planeSize
        image.pixels.withUnsafeBufferPointer { source in
            for c in 0..<3 {
                let m = mean[c], s = std[c]
                for i in c * plane..<(c + 1) * plane { out[i] = (Float(source[i]) / 255 - m) / s }
            }
        }
    }

    public func normalized(_ image: RGBImage) -> [Float] {
        var out = [Float](repeating: 0, count: image.pixels.count)
        out.withUnsafeMutableBufferPointer { write(image, into: $0.baseAddress!) }
        return out
    }
}

/// An axis-aligned box [x1, x2) × [y1, y2) inside an image.
public struct Box: Equatable, Sendable {
    public var x1, y1, x2, y2: Int
    public var area: Int { (x2 - x1) * (y2 - y1) }
}

/// Cutout (DeVries & Taylor 2017, one hole): a `size × size` square centred on a uniformly drawn
/// pixel, clipped to the image, set to zero in the normalised image.
public struct Cutout: Sendable {
    public var size: Int

    public init(size: Int = 16) { self.size = size }

    public func box(width: Int, height: Int, rng: inout SplitMix64) -> Box {
        let y = rng.nextInt(below: height), x = rng.nextInt(below: width)
        return Box(x1: max(0, x - size / 2), y1: max(0, y - size / 2),
                   x2: min(width, x + size / 2), y2: min(height, y + size / 2))
    }

    /// Zeroes the box in every channel of a CHW Float image at `image`.
    public func apply(to image: UnsafeMutablePointer<Float>, width: Int, height: Int, rng: inout SplitMix64) {
        let hole = box(width: width, height: height, rng: &rng)
        for c in 0..<3 {
            for y in hole.y1..<hole.y2 {
                for x in hole.x1..<hole.x2 { image[(c * height + y) * width + x] = 0 }
            }
        }
    }
}

/// CutMix's box (Yun et al. 2019): side ratio √(1−λ), centre uniform over the image, clipped.
/// Methods mixes the images and labels; this only samples where.
public enum CutMixBox {
    public static func sample(lambda: Double, width: Int, height: Int, rng: inout SplitMix64) -> Box {
        let ratio = (1 - lambda).squareRoot()
        let cutW = Int(Double(width) * ratio), cutH = Int(Double(height) * ratio)
        let cx = rng.nextInt(below: width), cy = rng.nextInt(below: height)
        return Box(x1: min(max(cx - cutW / 2, 0), width), y1: min(max(cy - cutH / 2, 0), height),
                   x2: min(max(cx + cutW / 2, 0), width), y2: min(max(cy + cutH / 2, 0), height))
    }

    /// The λ a box actually realises: 1 − area / image area (the area-corrected variant).
    public static func areaLambda(_ box: Box, width: Int, height: Int) -> Double {
        1 - Double(box.area) / Double(width * height)
    }
}
