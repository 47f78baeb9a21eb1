/// Bars grouped by category (e.g. shot group: many / medium / few / all), one bar per
/// series (e.g. method) in each group, with optional ± error whiskers.
public struct GroupedBarChart: Chart {
    public struct Series {
        public var name: String
        public var values: [Double]
        public var errors: [Double]?
        public init(_ name: String, values: [Double], errors: [Double]? = nil) {
            precondition((errors?.count ?? values.count) == values.count, "series \(name): one error per value")
            (self.name, self.values, self.errors) = (name, values, errors)
        }
    }

    public var title: String
    public var categories: [String]
    public var series: [Series]
    public var yAxis: Axis
    public var categoryLabel: String

    /// The y axis always includes 0 (bars start there) and `yIncludes`.
    public init(title: String, categories: [String], series: [Series], yLabel: String, categoryLabel: String = "",
                yIncludes: [Double] = []) {
        precondition(series.allSatisfy { $0.values.count == categories.count }, "one value per category in every series")
        let tops = series.flatMap { s in s.values.indices.map { s.values[$0] + (s.errors?[$0] ?? 0) } }
        let bottoms = series.flatMap { s in s.values.indices.map { s.values[$0] - (s.errors?[$0] ?? 0) } }
        (self.title, self.categories, self.series, self.categoryLabel) = (title, categories, series, categoryLabel)
        yAxis = Axis(covering: tops + bottoms, include: [0] + yIncludes, label: yLabel)
    }

    public func draw(on canvas: Canvas, in area: Rect) {
        let legend = series.count < 2 ? [] : series.indices.map {
            LegendEntry(series[$0].name, color: Palette.categorical($0, of: series.count), marker: .square)
        }
        let x = Axis(lower: 0, upper: Double(categories.count), ticks: [], label: categoryLabel)
        let frame = PlotFrame(canvas: canvas, area: area, title: title, x: x, y: yAxis, legend: legend)
        frame.drawAxes(on: canvas, title: title, xLabels: categories.indices.map { (Double($0) + 0.5, categories[$0]) })
        let groupWidth = 0.8, barWidth = groupWidth / Double(series.count)
        for (index, s) in series.enumerated() {
            let color = Palette.categorical(index, of: series.count)
            for c in categories.indices where s.values[c].isFinite {
                let left = Double(c) + (1 - groupWidth) / 2 + Double(index) * barWidth
                let (x0, y0) = frame.point(left, max(0, s.values[c]))
                let (x1, y1) = frame.point(left + barWidth, min(0, s.values[c]))
                canvas.setColor(color)
                canvas.fill(Rect(x: x0 + 0.5, y: y0, width: x1 - x0 - 1, height: y1 - y0))
                if let error = s.errors?[c], error > 0 {
                    let centre = frame.point(left + barWidth / 2, s.values[c]).0
                    let (_, top) = frame.point(0, s.values[c] + error), (_, bottom) = frame.point(0, s.values[c] - error)
                    canvas.setColor(.text)
                    canvas.line(from: (centre, top), to: (centre, bottom), width: 1)
                    canvas.line(from: (centre - 3, top), to: (centre + 3, top), width: 1)
                    canvas.line(from: (centre - 3, bottom), to: (centre + 3, bottom), width: 1)
                }
            }
        }
        if yAxis.lower < 0 {
            let (_, zero) = frame.point(0, 0)
            canvas.setColor(.axis)
            canvas.line(from: (frame.plot.x, zero), to: (frame.plot.maxX, zero), width: 0.8)
        }
        frame.drawLegend(on: canvas, legend)
    }
}
