/// A square matrix of values in a fixed range as coloured cells with a colour bar, e.g.
/// the cosines between classifier vectors (diverging blue–white–red, −1…1).
public struct HeatMap: Chart {
    public var title: String
    public var matrix: [[Double]]
    public var lower: Double, upper: Double
    public var axisLabel: String
    public var valueLabel: String

    public init(title: String, matrix: [[Double]], lower: Double = -1, upper: Double = 1,
                axisLabel: String = "class (largest first)", valueLabel: String = "cosine") {
        precondition(!matrix.isEmpty && matrix.allSatisfy { $0.count == matrix.count }, "heat map needs a square matrix")
        (self.title, self.matrix, self.lower, self.upper, self.axisLabel, self.valueLabel) = (title, matrix, lower, upper, axisLabel, valueLabel)
    }

    public func draw(on canvas: Canvas, in area: Rect) {
        let k = matrix.count
        let step = Axis.niceStep(Double(k) / 8).rounded(.up)
        let ticks = stride(from: 0.0, through: Double(k - 1), by: max(step, 1)).map { $0 }
        // Cell c spans [c, c + 1); ticks label cell centres. Rows run top to bottom.
        let x = Axis(lower: 0, upper: Double(k), ticks: ticks.map { $0 + 0.5 }, label: axisLabel)
        let y = Axis(lower: 0, upper: Double(k), ticks: ticks.map { Double(k) - $0 - 0.5 }, label: axisLabel)
        var frame = PlotFrame(canvas: canvas, area: area, title: title, x: x, y: y, legend: [], reserveRight: 78)
        // Square cells: shrink the longer side of the plot.
        let side = min(frame.plot.width, frame.plot.height)
        frame = PlotFrame(canvas: canvas, area: Rect(x: area.x, y: area.y, width: area.width - (frame.plot.width - side),
                                                     height: area.height - (frame.plot.height - side)),
                          title: title, x: x, y: y, legend: [], reserveRight: 78)
        let cell = frame.plot.width / Double(k)
        for row in 0..<k {
            for column in 0..<k {
                canvas.setColor(Palette.diverging((matrix[row][column] - lower) / (upper - lower)))
                canvas.fill(Rect(x: frame.plot.x + Double(column) * cell, y: frame.plot.y + Double(row) * cell,
                                 width: cell + 0.3, height: cell + 0.3))
            }
        }
        frame.drawAxes(on: canvas, title: title, xLabels: ticks.map { ($0 + 0.5, String(Int($0))) },
                       yLabels: ticks.map { (Double(k) - $0 - 0.5, String(Int($0))) }, grid: false)
        ColourBar(label: valueLabel, lower: lower, upper: upper, color: Palette.diverging).draw(on: canvas, beside: frame.plot, offset: 16)
    }
}
