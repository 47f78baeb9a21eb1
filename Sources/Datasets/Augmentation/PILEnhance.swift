/// PIL's `ImageEnhance` and `ImageOps` point operations, reproduced to the byte (tests compare
/// them with Pillow's outputs, Fixtures/pil_reference.py). Each one is what AutoAugment's
/// CIFAR-10 policy (DeepVoltaire's PIL implementation, used by GLMC and BCE3S) applies.
extension RGBImage {
    /// PIL `convert("L")`: ITU-R 601-2 luma in 16-bit fixed point.
    public func luminance() -> [UInt8] {
        let plane = planeSize
        var out = [UInt8](repeating: 0, count: plane)
        for i in 0..<plane {
            let r = UInt32(pixels[i]), g = UInt32(pixels[plane + i]), b = UInt32(pixels[2 * plane + i])
            out[i] = UInt8((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16)
        }
        return out
    }

    /// PIL `Image.blend(degenerate, self, alpha)`: float32 interpolation truncated to uint8,
    /// clipped when extrapolating (alpha outside [0, 1]).
    public func blended(from degenerate: RGBImage, alpha: Float) -> RGBImage {
        var out = pixels
        let interpolate = alpha >= 0 && alpha <= 1
        for i in 0..<pixels.count {
            let d = Float(degenerate.pixels[i])
            let value = d + alpha * (Float(pixels[i]) - d)
            out[i] = interpolate ? UInt8(value) : (value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value))
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// `ImageEnhance.Color(img).enhance(factor)`: blend with the grey version.
    public func enhancedColor(_ factor: Float) -> RGBImage {
        let grey = luminance()
        return blended(from: RGBImage(width: width, height: height, pixels: grey + grey + grey), alpha: factor)
    }

    /// `ImageEnhance.Brightness(img).enhance(factor)`: blend with black.
    public func enhancedBrightness(_ factor: Float) -> RGBImage {
        blended(from: RGBImage(width: width, height: height, filledWith: 0), alpha: factor)
    }

    /// `ImageEnhance.Contrast(img).enhance(factor)`: blend with the mean luma (rounded).
    public func enhancedContrast(_ factor: Float) -> RGBImage {
        let luma = luminance()
        let mean = Double(luma.reduce(0) { $0 + Int($1) }) / Double(luma.count)
        return blended(from: RGBImage(width: width, height: height, filledWith: UInt8(Int(mean + 0.5))), alpha: factor)
    }

    /// `ImageEnhance.Sharpness(img).enhance(factor)`: blend with `ImageFilter.SMOOTH`.
    public func enhancedSharpness(_ factor: Float) -> RGBImage { blended(from: smoothed(), alpha: factor) }

    /// PIL's `ImageFilter.SMOOTH`: 3×3 kernel [1 1 1; 1 5 1; 1 1 1] / 13, border pixels copied.
    public func smoothed() -> RGBImage {
        var out = pixels
        let w = width, h = height, plane = planeSize
        let edge = Float(1) / 13, centre = Float(5) / 13
        for c in 0..<3 {
            let base = c * plane
            for y in 1..<max(1, h - 1) {
                for x in 1..<max(1, w - 1) {
                    var sum: Float = 0
                    for dy in -1...1 {
                        for dx in -1...1 {
                            let weight = dx == 0 && dy == 0 ? centre : edge
                            sum += Float(pixels[base + (y + dy) * w + x + dx]) * weight
                        }
                    }
                    out[base + y * w + x] = sum <= 0 ? 0 : sum >= 255 ? 255 : UInt8(sum + 0.5)
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// `ImageOps.posterize(img, bits)`: keep the `bits` high bits.
    public func posterized(bits: Int) -> RGBImage {
        let mask = UInt8(truncatingIfNeeded: ~((1 << (8 - bits)) - 1))
        return mapped((0...255).map { UInt8($0) & mask })
    }

    /// `ImageOps.solarize(img, threshold)`: invert values ≥ threshold.
    public func solarized(threshold: Double) -> RGBImage {
        mapped((0...255).map { Double($0) < threshold ? UInt8($0) : UInt8(255 - $0) })
    }

    /// `ImageOps.invert(img)`.
    public func inverted() -> RGBImage { mapped((0...255).map { UInt8(255 - $0) }) }

    /// `ImageOps.autocontrast(img)` (cutoff 0): stretch each channel's [min, max] to [0, 255].
    public func autocontrasted() -> RGBImage {
        mapped(perChannel: (0..<3).map { c in
            let histogram = self.histogram(channel: c)
            guard let lo = histogram.firstIndex(where: { $0 > 0 }), let hi = histogram.lastIndex(where: { $0 > 0 }),
                  hi > lo else { return (0...255).map { UInt8($0) } }
            let scale = 255.0 / Double(hi - lo), offset = -Double(lo) * scale
            return (0...255).map { UInt8(max(0, min(255, Int(Double($0) * scale + offset)))) }
        })
    }

    /// `ImageOps.equalize(img)`: per-channel histogram equalisation with PIL's integer steps.
    public func equalized() -> RGBImage {
        mapped(perChannel: (0..<3).map { c in
            let histogram = self.histogram(channel: c)
            let used = histogram.filter { $0 > 0 }
            let step = used.count <= 1 ? 0 : (used.reduce(0, +) - used.last!) / 255
            guard step > 0 else { return (0...255).map { UInt8($0) } }
            var n = step / 2
            return (0...255).map { i in
                defer { n += histogram[i] }
                return UInt8(min(255, n / step))
            }
        })
    }

    func histogram(channel: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: 256)
        for i in channel * planeSize..<(channel + 1) * planeSize { counts[Int(pixels[i])] += 1 }
        return counts
    }
}
