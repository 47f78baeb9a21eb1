/// Colour-blind-safe colours: Paul Tol's qualitative and diverging schemes and viridis.
public enum Palette {
    /// Tol's "bright" scheme (7 colours), for a few series (methods, curves).
    public static let bright: [Color] = [0x4477AA, 0xEE6677, 0x228833, 0xCCBB44, 0x66CCEE, 0xAA3377, 0xBBBBBB].map(Color.init(hex:))

    /// Tol's "muted" scheme (10 colours incl. pale grey), for up to 10 classes.
    public static let muted: [Color] = [0xCC6677, 0x332288, 0xDDCC77, 0x117733, 0x88CCEE,
                                        0x882255, 0x44AA99, 0x999933, 0xAA4499, 0x777777].map(Color.init(hex:))

    /// Colour of series `index` among `count`: `bright` for up to 7, `muted` for up to 10,
    /// viridis beyond (then only neighbouring indices look alike, e.g. adjacent class sizes).
    public static func categorical(_ index: Int, of count: Int) -> Color {
        if count <= bright.count - 1 { return bright[index % (bright.count - 1)] }
        if count <= muted.count { return muted[index % muted.count] }
        return viridis(Double(index) / Double(max(count - 1, 1)))
    }

    /// Colour and dash pattern (on, off, … lengths; empty for solid) of unordered series `index`
    /// among `count`, such as the runs of a pipeline: `categorical` colours, solid, for up to 10;
    /// beyond, `muted` again with a dash pattern per round of 10 (long dashes, dots, dash-dot), so
    /// no two series look alike (viridis would make neighbours indistinguishable).
    public static func seriesStyle(_ index: Int, of count: Int) -> (color: Color, dash: [Double]) {
        guard count > muted.count else { return (categorical(index, of: count), []) }
        return (muted[index % muted.count], dashPatterns[(index / muted.count) % dashPatterns.count])
    }

    /// The dash patterns `seriesStyle` gives successive rounds of colours.
    static let dashPatterns: [[Double]] = [[], [9, 4], [2, 3], [9, 3, 2, 3]]

    /// Viridis (perceptually uniform, colour-blind safe) at `t` in 0…1.
    public static func viridis(_ t: Double) -> Color {
        interpolate([0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725], t)
    }

    /// Tol's diverging blue–white–red ("BuRd") at `t` in 0…1 (0.5 is white), for signed values such as cosines.
    public static func diverging(_ t: Double) -> Color {
        interpolate([0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B], t)
    }

    private static func interpolate(_ anchors: [UInt32], _ t: Double) -> Color {
        let position = min(max(t.isNaN ? 0 : t, 0), 1) * Double(anchors.count - 1)
        let low = min(Int(position), anchors.count - 2)
        return Color(hex: anchors[low]).mixed(with: Color(hex: anchors[low + 1]), position - Double(low))
    }
}
