/// Procedural, class-dependent images: each class has its own colour pair and shape pattern,
/// drawn at a random position and scale with pixel noise, so a small network can learn them
/// but not from a single pixel. Used for tests and smoke runs instead of the real data.
public enum SyntheticImages {
    static let patternCount = 10

    /// One 3×32×32 CHW image of class `label` out of `classCount`, written into `out`.
    public static func draw(label: Int, classCount: Int, rng: inout SplitMix64, into out: inout [UInt8], offset: Int) {
        let side = CIFARFormat.imageSide
        let pattern = label % patternCount
        // Colour index and count: every class its own hue up to 10 classes, else one hue per
        // group of `patternCount` classes (which differ by pattern).
        let colours = classCount <= patternCount ? classCount : (classCount + patternCount - 1) / patternCount
        let hue = Double(classCount <= patternCount ? label : label / patternCount) / Double(colours)
        let foreground = rgb(hue: hue, value: 0.55 + 0.35 * rng.nextDouble())
        let background = rgb(hue: (hue + 0.5).truncatingRemainder(dividingBy: 1), value: 0.25 + 0.2 * rng.nextDouble())
        let centreX = 16 + Double(rng.nextInt(below: 9) - 4), centreY = 16 + Double(rng.nextInt(below: 9) - 4)
        let size = 7 + 4 * rng.nextDouble()
        for y in 0..<side {
            for x in 0..<side {
                let inside = covers(pattern: pattern, dx: Double(x) - centreX, dy: Double(y) - centreY, size: size)
                let colour = inside ? foreground : background
                for channel in 0..<3 {
                    let noise = (rng.nextDouble() - 0.5) * 48
                    let value = colour[channel] * 255 + noise
                    out[offset + channel * side * side + y * side + x] = UInt8(max(0, min(255, value.rounded())))
                }
            }
        }
    }

    /// Whether pattern `pattern` covers offset (dx, dy) from its centre at scale `size`.
    private static func covers(pattern: Int, dx: Double, dy: Double, size: Double) -> Bool {
        let radius = (dx * dx + dy * dy).squareRoot()
        switch pattern {
        case 0: return radius < size                                            // disc
        case 1: return abs(dx) < size * 0.8 && abs(dy) < size * 0.8              // square
        case 2: return Int((dy + 64) / 3) % 2 == 0                               // horizontal stripes
        case 3: return Int((dx + 64) / 3) % 2 == 0                               // vertical stripes
        case 4: return (Int((dx + 64) / 4) + Int((dy + 64) / 4)) % 2 == 0        // checkerboard
        case 5: return Int((dx + dy + 128) / 4) % 2 == 0                         // diagonal stripes
        case 6: return radius < size && radius > size * 0.55                    // ring
        case 7: return (abs(dx) < 2.5 || abs(dy) < 2.5) && radius < size * 1.3  // cross
        case 8: return dy < size * 0.7 && abs(dx) < (dy + size) * 0.6            // triangle
        default: return dx + dy > 0                                              // half plane
        }
    }

    private static func rgb(hue: Double, value: Double) -> [Double] {
        let h = hue * 6, sector = Int(h) % 6, f = h - Double(Int(h))
        let p = value * 0.2, q = value * (1 - 0.8 * f), t = value * (0.2 + 0.8 * f)
        switch sector {
        case 0: return [value, t, p]
        case 1: return [q, value, p]
        case 2: return [p, value, t]
        case 3: return [p, q, value]
        case 4: return [t, p, value]
        default: return [value, p, q]
        }
    }
}
