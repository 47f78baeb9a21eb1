/// A vertical colour bar with a few labelled values, beside a plot.
struct ColourBar {
    var label: String
    var lower: Double, upper: Double
    /// Colour at a fraction 0…1 of the range.
    var color: (Double) -> Color

    func draw(on canvas: Canvas, beside plot: Rect, offset: Double) {
        let bar = Rect(x: plot.maxX + offset, y: plot.y + 10, width: 14, height: plot.height - 20)
        let steps = 120
        for step in 0..<steps {
            let t = Double(step) / Double(steps - 1)
            canvas.setColor(color(t))
            canvas.fill(Rect(x: bar.x, y: bar.maxY - (Double(step) + 1) * bar.height / Double(steps), width: bar.width,
                             height: bar.height / Double(steps) + 0.5))
        }
        canvas.setColor(.axis)
        canvas.stroke(bar, width: 0.6)
        let axis = Axis(covering: [lower, upper], label: label, maxTicks: 5)
        canvas.setFont(size: PlotFrame.tickSize)
        for tick in axis.ticks where tick >= lower - 1e-9 && tick <= upper + 1e-9 {
            let y = bar.maxY - (tick - lower) / (upper - lower) * bar.height
            canvas.setColor(.axis)
            canvas.line(from: (bar.maxX, y), to: (bar.maxX + 3, y), width: 0.8)
            canvas.setColor(.text)
            canvas.text(axis.format(tick), at: bar.maxX + 5, y, vertical: 0.5)
        }
        canvas.setFont(size: PlotFrame.labelSize)
        canvas.text(label, at: bar.maxX + 44, bar.y + bar.height / 2, horizontal: 0.5, vertical: 0, angle: Double.pi / 2)
    }
}
