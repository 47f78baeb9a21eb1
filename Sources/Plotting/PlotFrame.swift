/// One legend line: a marker and/or a line sample in a colour, and its text.
public struct LegendEntry {
    public var label: String
    public var color: Color
    public var marker: MarkerShape?
    public var hollow: Bool
    public var line: Bool
    /// The line sample's dash pattern (empty: solid), as the series draws it.
    public var dash: [Double]
    public init(_ label: String, color: Color, marker: MarkerShape? = .circle, hollow: Bool = false, line: Bool = false,
                dash: [Double] = []) {
        (self.label, self.color, self.marker, self.hollow, self.line, self.dash) = (label, color, marker, hollow, line, dash)
    }
}

extension LegendEntry {
    /// Width of a legend column holding `entries` (0 for none): sample, gap, widest label.
    static func columnWidth(_ entries: [LegendEntry], on canvas: Canvas) -> Double {
        guard !entries.isEmpty else { return 0 }
        canvas.setFont(size: PlotFrame.legendSize)
        return (entries.map { canvas.measure($0.label).width }.max() ?? 0) + 14 + 28 + 4
    }

    /// Draws `entries` one per line, the first with its top at `y`, samples starting at `x`.
    static func draw(_ entries: [LegendEntry], on canvas: Canvas, x: Double, y top: Double) {
        canvas.setFont(size: PlotFrame.legendSize)
        var y = top
        for entry in entries {
            let centre = y + 6
            canvas.setColor(entry.color)
            if entry.line { canvas.line(from: (x, centre), to: (x + 22, centre), width: 2, dash: entry.dash) }
            if let marker = entry.marker { canvas.marker(marker, at: x + 11, centre, size: 7, hollow: entry.hollow) }
            canvas.setColor(.text)
            canvas.text(entry.label, at: x + 28, centre, vertical: 0.5)
            y += 16
        }
    }
}

/// The scaffolding every chart shares: title, plot area, grid, ticks with labels, axis
/// titles and a legend outside the plot on the right (so it never hides data).
struct PlotFrame {
    let plot: Rect
    let x: Axis, y: Axis
    let legendOrigin: (Double, Double)
    let area: Rect

    static let titleSize = 13.0, labelSize = 11.0, tickSize = 10.0, legendSize = 10.0

    /// Lays out the panel `area`: margins follow the widest tick label and the legend;
    /// `reserveRight` adds room for e.g. a colour bar.
    init(canvas: Canvas, area: Rect, title: String, x: Axis, y: Axis, legend: [LegendEntry],
         showTickLabels: Bool = true, reserveRight: Double = 0) {
        self.x = x
        self.y = y
        self.area = area
        canvas.setFont(size: Self.tickSize)
        let yTickWidth = showTickLabels ? (y.ticks.map { canvas.measure(y.format($0)).width }.max() ?? 0) : 0
        let legendWidth = LegendEntry.columnWidth(legend, on: canvas)
        let left = area.x + 14 + Self.labelSize + 8 + yTickWidth + 6
        let top = area.y + Self.plotTop
        let right = area.maxX - 12 - legendWidth - reserveRight
        let bottom = area.maxY - 12 - Self.labelSize - 8 - (showTickLabels ? Self.tickSize + 6 : 0)
        plot = Rect(x: left, y: top, width: max(right - left, 10), height: max(bottom - top, 10))
        legendOrigin = (plot.maxX + 14 + reserveRight, plot.y + 4)
    }

    /// Whether an axis fraction lies on the axis (with rounding slack at both ends).
    static func visible(_ fraction: Double) -> Bool { fraction >= -1e-9 && fraction <= 1 + 1e-9 }

    /// Screen position of a data point.
    func point(_ vx: Double, _ vy: Double) -> (Double, Double) {
        (plot.x + x.fraction(vx) * plot.width, plot.maxY - y.fraction(vy) * plot.height)
    }

    /// Grid, frame, ticks, tick labels, axis titles and the panel title.
    /// `xLabels`/`yLabels` replace the numeric tick labels (categorical axes).
    func drawAxes(on canvas: Canvas, title: String, showTickLabels: Bool = true, xLabels: [(Double, String)]? = nil,
                  yLabels: [(Double, String)]? = nil, grid: Bool = true) {
        if grid {
            canvas.setColor(.grid)
            for tick in y.ticks where Self.visible(y.fraction(tick)) {
                let (_, sy) = point(x.lower, tick)
                canvas.line(from: (plot.x, sy), to: (plot.maxX, sy), width: 0.6)
            }
            if xLabels == nil {
                for tick in x.ticks where Self.visible(x.fraction(tick)) {
                    let (sx, _) = point(tick, y.lower)
                    canvas.line(from: (sx, plot.y), to: (sx, plot.maxY), width: 0.6)
                }
            }
        }
        canvas.setColor(.axis)
        canvas.stroke(plot, width: 0.8)
        canvas.setFont(size: Self.tickSize)
        canvas.setColor(.text)
        if showTickLabels {
            for (value, text) in yLabels ?? y.ticks.filter({ Self.visible(y.fraction($0)) }).map({ ($0, y.format($0)) }) {
                let (_, sy) = point(x.lower, value)
                canvas.setColor(.axis)
                canvas.line(from: (plot.x - 4, sy), to: (plot.x, sy), width: 0.8)
                canvas.setColor(.text)
                canvas.text(text, at: plot.x - 6, sy, horizontal: 1, vertical: 0.5)
            }
            let labels = xLabels ?? x.ticks.filter { Self.visible(x.fraction($0)) }.map { ($0, x.format($0)) }
            for (value, text) in labels {
                let (sx, _) = point(value, y.lower)
                canvas.setColor(.axis)
                canvas.line(from: (sx, plot.maxY), to: (sx, plot.maxY + 4), width: 0.8)
                canvas.setColor(.text)
                canvas.text(text, at: sx, plot.maxY + 6, horizontal: 0.5, vertical: 0)
            }
        }
        canvas.setFont(size: Self.labelSize)
        canvas.text(x.label, at: plot.x + plot.width / 2, plot.maxY + (showTickLabels ? Self.tickSize + 12 : 6),
                    horizontal: 0.5, vertical: 0)
        canvas.text(y.label, at: area.x + 14, plot.y + plot.height / 2, horizontal: 0.5, vertical: 0, angle: -Double.pi / 2)
        canvas.setFont(size: Self.titleSize, bold: true)
        canvas.text(title, at: plot.x + plot.width / 2, plot.y - 10, horizontal: 0.5, vertical: 1)
    }

    /// The legend, one entry per line, top-aligned beside the plot.
    func drawLegend(on canvas: Canvas, _ entries: [LegendEntry]) {
        LegendEntry.draw(entries, on: canvas, x: legendOrigin.0, y: legendOrigin.1)
    }

    /// Where a plot's top edge lies below the top of its panel (the title above it).
    static let plotTop = 12 + titleSize + 10
}
