import Foundation

/// PIL's affine resampling (`Image.transform(AFFINE, …)` and `Image.rotate`), reproduced to the
/// byte. The 6-element matrix (a, b, c, d, e, f) maps an output pixel centre (x + ½, y + ½) to
/// the input point (a·x + b·y + c, d·x + e·y + f), as in PIL.
extension RGBImage {
    /// NEAREST resampling with PIL's incremental coordinate accumulation; pixels that map
    /// outside the input get `fill`.
    public func affineNearest(_ m: [Double], fill: UInt8) -> RGBImage {
        var out = [UInt8](repeating: fill, count: pixels.count)
        let w = width, h = height, plane = planeSize
        var xo = m[2] + m[1] * 0.5 + m[0] * 0.5
        var yo = m[5] + m[4] * 0.5 + m[3] * 0.5
        for y in 0..<h {
            var xx = xo, yy = yo
            for x in 0..<w {
                let xin = Self.coordinate(xx), yin = Self.coordinate(yy)
                if xin >= 0, xin < w, yin >= 0, yin < h {
                    for c in 0..<3 { out[c * plane + y * w + x] = pixels[c * plane + yin * w + xin] }
                }
                xx += m[0]
                yy += m[3]
            }
            xo += m[1]
            yo += m[4]
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// BICUBIC resampling as PIL's generic transform does it: cubic convolution with a = −1,
    /// edge-clamped taps, `fill` for points outside the input, truncation to uint8.
    public func affineBicubic(_ m: [Double], fill: UInt8) -> RGBImage {
        var out = [UInt8](repeating: fill, count: pixels.count)
        let w = width, h = height, plane = planeSize
        for y in 0..<h {
            for x in 0..<w {
                var xin = m[0] * (Double(x) + 0.5) + m[1] * (Double(y) + 0.5) + m[2]
                var yin = m[3] * (Double(x) + 0.5) + m[4] * (Double(y) + 0.5) + m[5]
                guard xin >= 0, xin < Double(w), yin >= 0, yin < Double(h) else { continue }
                xin -= 0.5
                yin -= 0.5
                let x0 = Int(floor(xin)), y0 = Int(floor(yin))
                let dx = xin - Double(x0), dy = yin - Double(y0)
                let xs = (0..<4).map { min(max(x0 - 1 + $0, 0), w - 1) }
                let ys = (0..<4).map { min(max(y0 - 1 + $0, 0), h - 1) }
                for c in 0..<3 {
                    let base = c * plane
                    var rows = [Double](repeating: 0, count: 4)
                    for k in 0..<4 {
                        let row = base + ys[k] * w
                        rows[k] = Self.cubic(Double(pixels[row + xs[0]]), Double(pixels[row + xs[1]]),
                                             Double(pixels[row + xs[2]]), Double(pixels[row + xs[3]]), dx)
                    }
                    let v = Self.cubic(rows[0], rows[1], rows[2], rows[3], dy)
                    out[base + y * w + x] = v <= 0 ? 0 : v >= 255 ? 255 : UInt8(v)
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// `img.rotate(degrees)` (counter-clockwise, about the centre, NEAREST), with the area that
    /// rotates in from outside set to `fill` (the RGBA-composite trick of `rotate_with_fill`).
    public func rotated(degrees: Double, fill: UInt8) -> RGBImage {
        var normalised = degrees.truncatingRemainder(dividingBy: 360)
        if normalised < 0 { normalised += 360 }
        let angle = -normalised * Double.pi / 180
        let cosine = Self.round15(cos(angle)), sine = Self.round15(sin(angle))
        var m = [cosine, sine, 0, -sine, cosine, 0]
        let cx = Double(width) / 2, cy = Double(height) / 2
        m[2] = m[0] * -cx + m[1] * -cy + cx
        m[5] = m[3] * -cx + m[4] * -cy + cy
        return affineNearest(m, fill: fill)
    }

    /// PIL's `COORD`: −1 for negative values, else truncation.
    private static func coordinate(_ v: Double) -> Int { v < 0 ? -1 : Int(v) }

    private static func cubic(_ v1: Double, _ v2: Double, _ v3: Double, _ v4: Double, _ d: Double) -> Double {
        let p1 = v2, p2 = -v1 + v3, p3 = 2 * (v1 - v2) + v3 - v4, p4 = -v1 + v2 - v3 + v4
        return p1 + d * (p2 + d * (p3 + d * p4))
    }

    /// Python's `round(x, 15)` as PIL applies it to the rotation matrix.
    private static func round15(_ x: Double) -> Double { (x * 1e15).rounded() / 1e15 }
}
