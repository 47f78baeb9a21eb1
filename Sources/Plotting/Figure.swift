import Foundation

/// Something that draws itself into a panel of a figure.
public protocol Chart {
    /// The panel's title (also the PNG's `Title` chunk for single-panel figures).
    var title: String { get }
    func draw(on canvas: Canvas, in area: Rect)
}

/// One or more charts side by side, rendered at `scale` × resolution and written as PNG
/// with provenance text chunks.
public struct Figure {
    public var panels: [Chart]
    /// Logical size; the PNG is `scale` times larger in each direction.
    public var width: Double, height: Double
    public var scale: Double

    /// `panelWidth` per panel (default 600 for one panel, 420 each for more), `height` 420.
    public init(_ panels: [Chart], panelWidth: Double? = nil, height: Double = 420, scale: Double = 2) {
        precondition(!panels.isEmpty, "a figure needs at least one panel")
        self.panels = panels
        self.width = (panelWidth ?? (panels.count == 1 ? 600 : 420)) * Double(panels.count)
        self.height = height
        self.scale = scale
    }

    /// Draws every panel on a white canvas.
    public func render() -> Canvas {
        let canvas = Canvas(width: width, height: height, scale: scale)
        let panelWidth = width / Double(panels.count)
        for (index, panel) in panels.enumerated() {
            panel.draw(on: canvas, in: Rect(x: Double(index) * panelWidth, y: 0, width: panelWidth, height: height))
        }
        return canvas
    }

    /// Renders and writes a PNG (atomically) carrying `provenance` and the panel titles.
    public func write(to url: URL, provenance: Provenance) throws {
        let (pixels, w, h) = render().rgba()
        let title = panels.map(\.title).joined(separator: " | ")
        try PNGFile.write(rgba: pixels, width: w, height: h, texts: provenance.textChunks(title: title), to: url)
    }
}
