import Tensor

/// How CutMix's soft target weighs the two images (METHOD.md §3, "Mixing").
public enum CutMixTarget: String, ListedChoice, Sendable {
    public static var choiceName: String { "CutMix target" }

    /// λ·y + (1−λ)·y₂ with the λ that drew the box, as the authors (and GLMC) do.
    case lambda
    /// The area-corrected variant: λ' = 1 − (box area)/(H·W), after clipping the box.
    case area
}

/// A rectangle of pixels `[rows) × [columns)`, already clipped to the image.
public struct ImageBox: Equatable, Sendable {
    public var rows: Range<Int>
    public var columns: Range<Int>

    public init(rows: Range<Int>, columns: Range<Int>) {
        self.rows = rows
        self.columns = columns
    }

    /// Number of pixels inside.
    public var area: Int { rows.count * columns.count }
}

/// The pixel half of GLMC-style mixing on float batches laid out `[N, C, H, W]` row-major
/// (the loader's normalised output). The box and λ are drawn by the caller's seeded generators.
public enum GLMCMixing {
    /// x_m = λ·x + (1−λ)·x₂, element-wise.
    public static func mixup(_ x: [Float], _ x2: [Float], lambda: Float) -> [Float] {
        precondition(x.count == x2.count, "GLMCMixing.mixup: batches of \(x.count) and \(x2.count) values")
        return zip(x, x2).map { lambda * $0 + (1 - lambda) * $1 }
    }

    /// x with the pixels of `box` (every channel) replaced by x₂'s.
    public static func cutmix(_ x: [Float], _ x2: [Float], channels: Int, height: Int, width: Int,
                              box: ImageBox) -> [Float] {
        precondition(x.count == x2.count && x.count % (channels * height * width) == 0,
                     "GLMCMixing.cutmix: batches of \(x.count) and \(x2.count) values for \(channels)×\(height)×\(width) images")
        precondition(box.rows.clamped(to: 0..<height) == box.rows && box.columns.clamped(to: 0..<width) == box.columns,
                     "GLMCMixing.cutmix: box \(box) outside a \(height)×\(width) image")
        var out = x
        for plane in 0..<(x.count / (height * width)) {
            for r in box.rows {
                let start = (plane * height + r) * width
                for c in box.columns { out[start + c] = x2[start + c] }
            }
        }
        return out
    }

    /// The weight of the first image in CutMix's soft target.
    public static func cutmixWeight(lambda: Float, box: ImageBox, height: Int, width: Int,
                                    rule: CutMixTarget) -> Float {
        switch rule {
        case .lambda: return lambda
        case .area: return 1 - Float(box.area) / Float(height * width)
        }
    }
}
