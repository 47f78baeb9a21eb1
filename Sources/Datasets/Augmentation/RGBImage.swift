/// A 3-channel uint8 image in planar CHW layout (R plane, G plane, B plane; rows top to bottom),
/// the layout of the CIFAR records. Augmentations take and return these.
public struct RGBImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// `3 × height × width` bytes.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == 3 * width * height, "expected \(3 * width * height) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A uniform image of one grey value.
    public init(width: Int, height: Int, filledWith value: UInt8) {
        self.init(width: width, height: height, pixels: [UInt8](repeating: value, count: 3 * width * height))
    }

    /// From interleaved HWC bytes (e.g. PIL's or NumPy's layout).
    public init(width: Int, height: Int, interleaved: [UInt8]) {
        precondition(interleaved.count == 3 * width * height)
        var pixels = [UInt8](repeating: 0, count: interleaved.count)
        let plane = width * height
        for i in 0..<plane {
            for c in 0..<3 { pixels[c * plane + i] = interleaved[i * 3 + c] }
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    public var planeSize: Int { width * height }

    /// Interleaved HWC bytes.
    public var interleaved: [UInt8] {
        var out = [UInt8](repeating: 0, count: pixels.count)
        let plane = planeSize
        for i in 0..<plane {
            for c in 0..<3 { out[i * 3 + c] = pixels[c * plane + i] }
        }
        return out
    }

    /// Applies `table` to every byte (PIL's `Image.point` with a 256-entry lookup per band).
    public func mapped(perChannel tables: [[UInt8]]) -> RGBImage {
        var out = pixels
        let plane = planeSize
        for c in 0..<3 {
            let table = tables[c]
            for i in c * plane..<(c + 1) * plane { out[i] = table[Int(pixels[i])] }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    public func mapped(_ table: [UInt8]) -> RGBImage { mapped(perChannel: [table, table, table]) }
}
