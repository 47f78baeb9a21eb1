/// Series of (x, y) points joined by lines and/or marked, on linear or log axes: training
/// curves (loss, accuracy, learning rate against epoch) and per-class quantities against
/// class size (log x axis).
public struct LineChart: Chart {
    public struct Series {
        public var name: String
        public var x: [Double], y: [Double]
        /// Optional ± band around y (e.g. std over seeds), drawn translucent.
        public var spread: [Double]?
        /// The series' colour; nil takes the palette's colour of its position in the chart. Set it
        /// to keep one run's colour across the panels of a figure.
        public var color: Color?
        /// The line's dash pattern (empty: solid); `Palette.seriesStyle` gives one with the colour.
        public var dash: [Double] = []
        /// The marker's shape; nil takes the shape of its position in the chart. Set it, with the
        /// colour, to keep one run's look across figures.
        public var marker: MarkerShape?
        public init(_ name: String, x: [Double], y: [Double], spread: [Double]? = nil, color: Color? = nil) {
            precondition(x.count == y.count && (spread?.count ?? y.count) == y.count, "series \(name): x, y and spread differ in length")
            (self.name, self.x, self.y, self.spread, self.color) = (name, x, y, spread, color)
        }
    }

    public var title: String
    public var series: [Series]
    public var xAxis: Axis, yAxis: Axis
    public var lines: Bool, markers: Bool
    /// Whether the panel draws its own legend (two or more series); false when the figure draws
    /// one legend for all its panels.
    public var showsLegend: Bool

    /// Axes cover all series; `xIncludes`/`yIncludes` force values into view (e.g. 0 and 100 for
    /// accuracy, or the epochs of the figure's other panels, so they line up);
    /// `xIntegers` keeps x ticks on whole numbers (epochs); `xEndsAtData` ends the x axis at the
    /// last point (see `Axis`). `xMargin` widens the x domain by that fraction at both ends; by
    /// default `markerMargin` when the chart draws markers (`markers`, or a lone point), so none
    /// sits on the frame. With `markers`, the y domain gets that margin too.
    public init(title: String, series: [Series], xLabel: String, yLabel: String, xKind: Axis.Kind = .linear,
                xIncludes: [Double] = [], yKind: Axis.Kind = .linear, yIncludes: [Double] = [], lines: Bool = true,
                markers: Bool = false, xIntegers: Bool = false, xEndsAtData: Bool = false, xMargin: Double? = nil, showsLegend: Bool = true) {
        self.title = title
        self.series = series
        let spreadBounds = series.flatMap { s in s.spread.map { sp in zip(s.y, sp).flatMap { [$0 - $1, $0 + $1] } } ?? [] }
        let drawsMarkers = markers || series.contains { $0.x.count == 1 }
        xAxis = Axis(xKind, covering: series.flatMap(\.x), include: xIncludes, label: xLabel, integerTicks: xIntegers,
                     endsAtData: xEndsAtData)
            .widened(by: xMargin ?? (drawsMarkers ? Self.markerMargin : 0))
        yAxis = Axis(yKind, covering: series.flatMap(\.y) + spreadBounds, include: yIncludes, label: yLabel)
            .widened(by: markers ? Self.markerMargin : 0)
        (self.lines, self.markers, self.showsLegend) = (lines, markers, showsLegend)
    }

    /// The fraction of an axis added at both ends of a chart that draws markers.
    public static let markerMargin = 0.03

    /// For each series, its place among the series with exactly its points and how many
    /// those are ((0, 1) for a series that no other covers).
    var overlapPlaces: [(place: Int, count: Int)] {
        var groups: [[Int]] = []
        for index in series.indices {
            if let group = groups.firstIndex(where: { Self.samePoints(series[$0[0]], series[index]) }) {
                groups[group].append(index)
            } else {
                groups.append([index])
            }
        }
        var places = Array(repeating: (place: 0, count: 1), count: series.count)
        for group in groups { for (place, index) in group.enumerated() { places[index] = (place, group.count) } }
        return places
    }

    private static func samePoints(_ a: Series, _ b: Series) -> Bool {
        func close(_ u: Double, _ v: Double) -> Bool { u == v || abs(u - v) <= 1e-12 * max(abs(u), abs(v)) }
        return a.x.count == b.x.count && zip(a.x, b.x).allSatisfy(close) && zip(a.y, b.y).allSatisfy(close)
    }

    private func color(_ index: Int) -> Color { series[index].color ?? Palette.seriesStyle(index, of: series.count).color }

    /// The series' dash pattern; a series without a colour of its own takes the palette's.
    private func dash(_ index: Int) -> [Double] {
        series[index].color == nil && series[index].dash.isEmpty ? Palette.seriesStyle(index, of: series.count).dash : series[index].dash
    }

    private func shape(_ index: Int) -> MarkerShape {
        series[index].marker ?? MarkerShape.allCases[index % MarkerShape.allCases.count]
    }

    private var legend: [LegendEntry] {
        !showsLegend || series.count < 2 ? [] : series.indices.map {
            LegendEntry(series[$0].name, color: color($0),
                        marker: markers ? shape($0) : nil, line: lines, dash: dash($0))
        }
    }

    public func draw(on canvas: Canvas, in area: Rect) {
        let frame = PlotFrame(canvas: canvas, area: area, title: title, x: xAxis, y: yAxis, legend: legend)
        frame.drawAxes(on: canvas, title: title)
        canvas.clip(to: frame.plot)
        let overlaps = overlapPlaces
        for (index, s) in series.enumerated() {
            let color = color(index)
            let valid = s.x.indices.filter { s.x[$0].isFinite && s.y[$0].isFinite && (xAxis.kind == .linear || s.x[$0] > 0) && (yAxis.kind == .linear || s.y[$0] > 0) }
            if let spread = s.spread {
                canvas.setColor(color, alpha: 0.18)
                for i in valid {
                    let (sx, top) = frame.point(s.x[i], s.y[i] + spread[i]), (_, bottom) = frame.point(s.x[i], s.y[i] - spread[i])
                    canvas.line(from: (sx, top), to: (sx, bottom), width: markers ? 1.5 : 2.5)
                }
            }
            canvas.setColor(color)
            if lines {
                // Series that lie exactly on top of each other (runs sharing one learning-rate
                // schedule) take turns along the line in short dashes, so every colour shows.
                let (place, count) = overlaps[index], dashLength = 7.0
                canvas.polyline(valid.map { frame.point(s.x[$0], s.y[$0]) }, width: 1.6,
                                dash: count > 1 ? [dashLength, Double(count - 1) * dashLength] : dash(index),
                                dashOffset: count > 1 ? Double((count - place) % count) * dashLength : 0)
            }
        }
        canvas.unclip()
        // Markers are not clipped: a point on the domain's end stays whole. A lone point has
        // no line to show it, so it gets a marker even in a line chart.
        for (index, s) in series.enumerated() where markers || s.x.count == 1 {
            canvas.setColor(color(index))
            let markerShape = shape(index)
            for i in s.x.indices where s.x[i].isFinite && s.y[i].isFinite && PlotFrame.visible(xAxis.fraction(s.x[i]))
                && PlotFrame.visible(yAxis.fraction(s.y[i])) {
                let (sx, sy) = frame.point(s.x[i], s.y[i])
                canvas.marker(markerShape, at: sx, sy, size: 5)
            }
        }
        frame.drawLegend(on: canvas, legend)
    }
}
