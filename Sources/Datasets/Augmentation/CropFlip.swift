/// The standard CIFAR augmentations on uint8 images: `RandomCrop(32, padding: 4)` with zero
/// padding and `RandomHorizontalFlip()`.
extension RGBImage {
    /// The `width × height` window at (left, top) of this image padded by `padding` zero pixels
    /// on every side; (0, 0) is the padded image's corner.
    public func paddedCrop(padding: Int, left: Int, top: Int) -> RGBImage {
        var out = [UInt8](repeating: 0, count: pixels.count)
        let w = width, h = height, plane = planeSize
        for c in 0..<3 {
            for y in 0..<h {
                let sourceY = y + top - padding
                guard sourceY >= 0, sourceY < h else { continue }
                for x in 0..<w {
                    let sourceX = x + left - padding
                    guard sourceX >= 0, sourceX < w else { continue }
                    out[c * plane + y * w + x] = pixels[c * plane + sourceY * w + sourceX]
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// A random crop of the padded image: offsets uniform in 0…2·padding (torchvision's rule).
    public func randomCrop(padding: Int = 4, rng: inout SplitMix64) -> RGBImage {
        let top = rng.nextInt(below: 2 * padding + 1), left = rng.nextInt(below: 2 * padding + 1)
        return paddedCrop(padding: padding, left: left, top: top)
    }

    /// Mirror left–right.
    public func flippedHorizontally() -> RGBImage {
        var out = pixels
        for row in 0..<(3 * height) {
            let start = row * width
            for x in 0..<width { out[start + x] = pixels[start + width - 1 - x] }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// Mirror with probability ½.
    public func randomFlip(rng: inout SplitMix64) -> RGBImage {
        rng.nextInt(below: 2) == 0 ? self : flippedHorizontally()
    }
}
