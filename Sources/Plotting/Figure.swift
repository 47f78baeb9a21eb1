import Foundation

/// Something that draws itself into a panel of a figure.
public protocol Chart {
    /// The panel's title (also the PNG's `Title` chunk for single-panel figures).
    var title: String { get }
    func draw(on canvas: Canvas, in area: Rect)
}

/// One or more charts side by side, rendered at `scale` × resolution and written as PNG
/// with provenance text chunks; optionally one legend for all of them, right of the last panel.
public struct Figure {
    public var panels: [Chart]
    /// The figure's legend (panels showing the same series then leave theirs out), or empty.
    public var legend: [LegendEntry]
    /// Logical size; the PNG is `scale` times larger in each direction.
    public var width: Double, height: Double
    public var scale: Double
    /// Width of the legend column (0 without a legend).
    private let legendWidth: Double

    /// `panelWidth` per panel (default 600 for one panel, 420 each for more), `height` 420,
    /// plus the legend's column.
    public init(_ panels: [Chart], legend: [LegendEntry] = [], panelWidth: Double? = nil, height: Double = 420, scale: Double = 2) {
        precondition(!panels.isEmpty, "a figure needs at least one panel")
        self.panels = panels
        self.legend = legend
        legendWidth = LegendEntry.columnWidth(legend, on: Canvas(width: 1, height: 1, scale: 1))
        self.width = (panelWidth ?? (panels.count == 1 ? 600 : 420)) * Double(panels.count) + legendWidth
        self.height = height
        self.scale = scale
    }

    /// Draws every panel, then the figure's legend, on a white canvas.
    public func render() -> Canvas {
        let canvas = Canvas(width: width, height: height, scale: scale)
        let panelWidth = (width - legendWidth) / Double(panels.count)
        for (index, panel) in panels.enumerated() {
            panel.draw(on: canvas, in: Rect(x: Double(index) * panelWidth, y: 0, width: panelWidth, height: height))
        }
        LegendEntry.draw(legend, on: canvas, x: width - legendWidth + 2, y: PlotFrame.plotTop + 4)
        return canvas
    }

    /// Renders and writes a PNG (atomically) carrying `provenance` and the panel titles.
    public func write(to url: URL, provenance: Provenance) throws {
        let (pixels, w, h) = render().rgba()
        let title = panels.map(\.title).joined(separator: " | ")
        try PNGFile.write(rgba: pixels, width: w, height: h, texts: provenance.textChunks(title: title), to: url)
    }
}
