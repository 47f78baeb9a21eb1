/// AutoAugment's CIFAR-10 policy (Cubuk et al. 2019) as implemented with PIL by DeepVoltaire
/// and used by GLMC and the BCE3S code: 25 sub-policies of two operations, each applied with its
/// probability; geometric operations fill with grey 128, shears resample bicubically.
public struct AutoAugmentCIFAR10: Sendable {
    /// One of the 14 operations with its magnitude index (0…9).
    public enum Operation: Equatable, Sendable {
        case shearX(Int), shearY(Int), translateX(Int), translateY(Int), rotate(Int)
        case color(Int), posterize(Int), solarize(Int), contrast(Int), sharpness(Int), brightness(Int)
        case autoContrast, equalize, invert

        /// Whether the operation draws a random sign for its magnitude.
        public var isSigned: Bool {
            switch self {
            case .shearX, .shearY, .translateX, .translateY, .color, .contrast, .sharpness, .brightness: return true
            default: return false
            }
        }

        /// Applies the operation with the given sign (±1, ignored by unsigned operations).
        public func apply(to image: RGBImage, sign: Double, fill: UInt8 = 128) -> RGBImage {
            switch self {
            case .shearX(let m):
                return image.affineBicubic([1, linspace(0, 0.3, m) * sign, 0, 0, 1, 0], fill: fill)
            case .shearY(let m):
                return image.affineBicubic([1, 0, 0, linspace(0, 0.3, m) * sign, 1, 0], fill: fill)
            case .translateX(let m):
                return image.affineNearest([1, 0, linspace(0, 150.0 / 331, m) * Double(image.width) * sign, 0, 1, 0], fill: fill)
            case .translateY(let m):
                return image.affineNearest([1, 0, 0, 0, 1, linspace(0, 150.0 / 331, m) * Double(image.height) * sign], fill: fill)
            case .rotate(let m):
                return image.rotated(degrees: linspace(0, 30, m), fill: fill)
            case .color(let m): return image.enhancedColor(Self.factor(m, sign))
            case .contrast(let m): return image.enhancedContrast(Self.factor(m, sign))
            case .sharpness(let m): return image.enhancedSharpness(Self.factor(m, sign))
            case .brightness(let m): return image.enhancedBrightness(Self.factor(m, sign))
            case .posterize(let m): return image.posterized(bits: Int(linspace(8, 4, m).rounded(.toNearestOrEven)))
            case .solarize(let m): return image.solarized(threshold: linspace(256, 0, m))
            case .autoContrast: return image.autocontrasted()
            case .equalize: return image.equalized()
            case .invert: return image.inverted()
            }
        }

        /// 1 + magnitude·sign, as the C float PIL's blend receives.
        private static func factor(_ m: Int, _ sign: Double) -> Float { Float(1 + linspace(0, 0.9, m) * sign) }
    }

    /// A sub-policy: two (probability, operation) pairs applied in order.
    public struct SubPolicy: Sendable {
        public let first: (probability: Double, operation: Operation)
        public let second: (probability: Double, operation: Operation)
    }

    /// Grey value of pixels that geometric operations bring in from outside.
    public var fill: UInt8 = 128

    public init(fill: UInt8 = 128) { self.fill = fill }

    /// Picks a sub-policy uniformly and applies each of its operations with its probability,
    /// every draw from `rng`.
    public func apply(to image: RGBImage, rng: inout SplitMix64) -> RGBImage {
        let policy = Self.policies[rng.nextInt(below: Self.policies.count)]
        var result = image
        for (probability, operation) in [policy.first, policy.second] where rng.chance(probability) {
            let sign: Double = operation.isSigned ? (rng.nextInt(below: 2) == 0 ? -1 : 1) : 1
            result = operation.apply(to: result, sign: sign, fill: fill)
        }
        return result
    }

    /// The 25 CIFAR-10 sub-policies in the paper's (and DeepVoltaire's) order.
    public static let policies: [SubPolicy] = [
        p(0.1, .invert, 0.2, .contrast(6)), p(0.7, .rotate(2), 0.3, .translateX(9)),
        p(0.8, .sharpness(1), 0.9, .sharpness(3)), p(0.5, .shearY(8), 0.7, .translateY(9)),
        p(0.5, .autoContrast, 0.9, .equalize), p(0.2, .shearY(7), 0.3, .posterize(7)),
        p(0.4, .color(3), 0.6, .brightness(7)), p(0.3, .sharpness(9), 0.7, .brightness(9)),
        p(0.6, .equalize, 0.5, .equalize), p(0.6, .contrast(7), 0.6, .sharpness(5)),
        p(0.7, .color(7), 0.5, .translateX(8)), p(0.3, .equalize, 0.4, .autoContrast),
        p(0.4, .translateY(3), 0.2, .sharpness(6)), p(0.9, .brightness(6), 0.2, .color(8)),
        p(0.5, .solarize(2), 0.0, .invert), p(0.2, .equalize, 0.6, .autoContrast),
        p(0.2, .equalize, 0.8, .equalize), p(0.9, .color(9), 0.6, .equalize),
        p(0.8, .autoContrast, 0.2, .solarize(8)), p(0.1, .brightness(3), 0.7, .color(0)),
        p(0.4, .solarize(5), 0.9, .autoContrast), p(0.9, .translateY(9), 0.7, .translateY(9)),
        p(0.9, .autoContrast, 0.8, .solarize(3)), p(0.8, .equalize, 0.1, .invert),
        p(0.7, .translateY(9), 0.9, .autoContrast),
    ]

    private static func p(_ p1: Double, _ op1: Operation, _ p2: Double, _ op2: Operation) -> SubPolicy {
        SubPolicy(first: (p1, op1), second: (p2, op2))
    }
}

/// `np.linspace(start, stop, 10)[index]`: start + index·step, the last element exactly `stop`.
func linspace(_ start: Double, _ stop: Double, _ index: Int, count: Int = 10) -> Double {
    index == count - 1 ? stop : Double(index) * ((stop - start) / Double(count - 1)) + start
}
