import CCairo
import Foundation

/// An RGB colour with components in 0…1.
public struct Color: Equatable {
    public var red: Double, green: Double, blue: Double
    public init(red: Double, green: Double, blue: Double) { (self.red, self.green, self.blue) = (red, green, blue) }
    /// From `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(red: Double(hex >> 16 & 0xff) / 255, green: Double(hex >> 8 & 0xff) / 255, blue: Double(hex & 0xff) / 255)
    }
    public static let black = Color(hex: 0x000000), white = Color(hex: 0xFFFFFF)
    public static let text = Color(hex: 0x222222), grid = Color(hex: 0xE3E3E3), axis = Color(hex: 0x555555)

    /// Linear interpolation towards `other` by `t` in 0…1.
    func mixed(with other: Color, _ t: Double) -> Color {
        Color(red: red + (other.red - red) * t, green: green + (other.green - green) * t, blue: blue + (other.blue - blue) * t)
    }
}

/// A rectangle in logical units (points at 1×).
public struct Rect: Equatable {
    public var x: Double, y: Double, width: Double, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) { (self.x, self.y, self.width, self.height) = (x, y, width, height) }
    var maxX: Double { x + width }
    var maxY: Double { y + height }
}

/// A Cairo image surface drawn in logical units and rendered at `scale` × resolution
/// (2 by default, for sharp figures on high-density screens and in print). Text uses
/// Cairo's toy font API with DejaVu Sans.
public final class Canvas {
    public let width: Double, height: Double, scale: Double
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    public static let fontFamily = "DejaVu Sans"

    public init(width: Double, height: Double, scale: Double = 2) {
        (self.width, self.height, self.scale) = (width, height, scale)
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32((width * scale).rounded()), Int32((height * scale).rounded()))
        cr = cairo_create(surface)
        cairo_scale(cr, scale, scale)
        setColor(.white)
        cairo_paint(cr)
        setFont(size: 11)
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    public func setColor(_ color: Color, alpha: Double = 1) { cairo_set_source_rgba(cr, color.red, color.green, color.blue, alpha) }

    public func setFont(size: Double, bold: Bool = false) {
        cairo_select_font_face(cr, Self.fontFamily, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    public func line(from a: (Double, Double), to b: (Double, Double), width: Double = 1, dash: [Double] = []) {
        cairo_set_line_width(cr, width)
        cairo_set_dash(cr, dash, Int32(dash.count), 0)
        cairo_move_to(cr, a.0, a.1)
        cairo_line_to(cr, b.0, b.1)
        cairo_stroke(cr)
        cairo_set_dash(cr, nil, 0, 0)
    }

    /// Joined line segments; `dash` (on, off, … lengths) with `dashOffset` into it draws the
    /// line dashed, as for curves that lie on top of each other.
    public func polyline(_ points: [(Double, Double)], width: Double = 1.5, dash: [Double] = [], dashOffset: Double = 0) {
        guard let first = points.first else { return }
        cairo_set_line_width(cr, width)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_dash(cr, dash, Int32(dash.count), dashOffset)
        cairo_move_to(cr, first.0, first.1)
        for point in points.dropFirst() { cairo_line_to(cr, point.0, point.1) }
        cairo_stroke(cr)
        cairo_set_dash(cr, nil, 0, 0)
    }

    public func fill(_ rect: Rect) {
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_fill(cr)
    }

    public func stroke(_ rect: Rect, width: Double = 1) {
        cairo_set_line_width(cr, width)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_stroke(cr)
    }

    /// A marker of `size` (diameter) centred at (x, y); hollow markers are outlined only.
    public func marker(_ shape: MarkerShape, at x: Double, _ y: Double, size: Double, hollow: Bool = false) {
        let r = size / 2
        switch shape {
        case .circle:
            cairo_new_sub_path(cr)
            cairo_arc(cr, x, y, r, 0, 2 * Double.pi)
        case .square:
            cairo_rectangle(cr, x - r * 0.9, y - r * 0.9, 1.8 * r, 1.8 * r)
        case .triangle:
            cairo_move_to(cr, x, y - 1.15 * r)
            cairo_line_to(cr, x + r, y + 0.75 * r)
            cairo_line_to(cr, x - r, y + 0.75 * r)
            cairo_close_path(cr)
        case .diamond:
            cairo_move_to(cr, x, y - 1.2 * r)
            cairo_line_to(cr, x + r, y)
            cairo_line_to(cr, x, y + 1.2 * r)
            cairo_line_to(cr, x - r, y)
            cairo_close_path(cr)
        }
        if hollow {
            cairo_set_line_width(cr, max(0.8, size / 5))
            cairo_stroke(cr)
        } else {
            cairo_fill(cr)
        }
    }

    /// Width and height of `text` in the current font.
    public func measure(_ text: String) -> (width: Double, height: Double) {
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        var font = cairo_font_extents_t()
        cairo_font_extents(cr, &font)
        return (extents.x_advance, font.ascent)
    }

    /// Draws `text` anchored at (x, y): `horizontal` 0 = left, 0.5 = centre, 1 = right;
    /// `vertical` 0 = top, 0.5 = middle, 1 = baseline; rotated by `angle` radians about the anchor.
    public func text(_ text: String, at x: Double, _ y: Double, horizontal: Double = 0, vertical: Double = 1, angle: Double = 0) {
        let size = measure(text)
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_rotate(cr, angle)
        cairo_move_to(cr, -horizontal * size.width, (1 - vertical) * size.height)
        cairo_show_text(cr, text)
        cairo_restore(cr)
    }

    public func clip(to rect: Rect) {
        cairo_save(cr)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(cr)
    }

    public func unclip() { cairo_restore(cr) }

    /// The pixels as 8-bit RGBA, un-premultiplied (Cairo stores premultiplied native-endian ARGB).
    public func rgba() -> (pixels: [UInt8], width: Int, height: Int) {
        cairo_surface_flush(surface)
        let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        var out = [UInt8](repeating: 0, count: w * h * 4)
        for row in 0..<h {
            let line = UnsafeRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
            for column in 0..<w {
                let argb = line[column]
                let a = UInt32(argb >> 24)
                let unpremultiply = { (c: UInt32) -> UInt8 in a == 0 ? 0 : UInt8(min(255, (c * 255 + a / 2) / a)) }
                let o = (row * w + column) * 4
                out[o] = unpremultiply(argb >> 16 & 0xff)
                out[o + 1] = unpremultiply(argb >> 8 & 0xff)
                out[o + 2] = unpremultiply(argb & 0xff)
                out[o + 3] = UInt8(a)
            }
        }
        return (out, w, h)
    }
}

/// Marker shapes, so that series stay distinguishable without colour.
public enum MarkerShape: CaseIterable {
    case circle, square, triangle, diamond
}
