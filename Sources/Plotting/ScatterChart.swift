/// Points coloured by class, e.g. a t-SNE of test features. Head classes are filled
/// circles, tail classes hollow triangles drawn on top, so that the few tail points stay
/// visible and the two are told apart without colour. Up to 10 classes get a legend
/// entry each; more get a viridis colour bar over the class index instead.
public struct ScatterChart: Chart {
    public var title: String
    public var xLabel: String, yLabel: String
    /// `[x0, y0, x1, y1, …]`.
    public var coordinates: [Float]
    public var classes: [Int]
    public var classNames: [String]
    public var tailClasses: Set<Int>
    /// What the legend calls the tail classes and the others ("tail" / "head"; the analysis
    /// figures use the shot groups the tables use, "medium/few" / "many").
    public var tailName: String, headName: String
    /// Hide tick labels (t-SNE coordinates carry no meaning).
    public var showTickLabels: Bool
    public var pointSize: Double

    public init(title: String, coordinates: [Float], classes: [Int], classNames: [String], tailClasses: Set<Int> = [],
                tailName: String = "tail", headName: String = "head",
                xLabel: String = "t-SNE 1", yLabel: String = "t-SNE 2", showTickLabels: Bool = false, pointSize: Double = 3) {
        precondition(coordinates.count == 2 * classes.count, "one (x, y) pair per point")
        precondition(classes.allSatisfy { $0 >= 0 && $0 < classNames.count }, "class index without a name")
        (self.title, self.coordinates, self.classes, self.classNames, self.tailClasses) = (title, coordinates, classes, classNames, tailClasses)
        (self.xLabel, self.yLabel, self.showTickLabels, self.pointSize) = (xLabel, yLabel, showTickLabels, pointSize)
        (self.tailName, self.headName) = (tailName, headName)
    }

    private var usesColourBar: Bool { classNames.count > 10 }

    private func color(_ c: Int) -> Color {
        usesColourBar ? Palette.viridis(Double(c) / Double(classNames.count - 1)) : Palette.categorical(c, of: classNames.count)
    }

    private var legend: [LegendEntry] {
        let markers = tailClasses.isEmpty ? [] : [LegendEntry("\(headName) class", color: .axis),
                                                  LegendEntry("\(tailName) class", color: .axis, marker: .triangle, hollow: true)]
        if usesColourBar { return markers }
        return classNames.indices.map { c in
            LegendEntry(classNames[c] + (tailClasses.contains(c) ? " (\(tailName))" : ""), color: color(c),
                        marker: tailClasses.contains(c) ? .triangle : .circle, hollow: tailClasses.contains(c))
        }
    }

    public func draw(on canvas: Canvas, in area: Rect) {
        let xs = stride(from: 0, to: coordinates.count, by: 2).map { Double(coordinates[$0]) }
        let ys = stride(from: 1, to: coordinates.count, by: 2).map { Double(coordinates[$0]) }
        // 3 % padding so that no marker sits on the frame; without tick labels the domain
        // is the padded data range itself (no room lost to rounding to nice numbers).
        let axis = { (values: [Double], label: String) -> Axis in
            let low = values.min() ?? 0, high = values.max() ?? 1, pad = max(0.03 * (high - low), 1e-6)
            return showTickLabels ? Axis(covering: [low - pad, high + pad], label: label)
                : Axis(lower: low - pad, upper: high + pad, ticks: [], label: label)
        }
        let frame = PlotFrame(canvas: canvas, area: area, title: title, x: axis(xs, xLabel), y: axis(ys, yLabel),
                              legend: legend, showTickLabels: showTickLabels, reserveRight: usesColourBar ? 90 : 0)
        frame.drawAxes(on: canvas, title: title, showTickLabels: showTickLabels, grid: showTickLabels)
        canvas.clip(to: frame.plot)
        let order = classes.indices.filter { !tailClasses.contains(classes[$0]) } + classes.indices.filter { tailClasses.contains(classes[$0]) }
        for i in order {
            let (sx, sy) = frame.point(xs[i], ys[i])
            let tail = tailClasses.contains(classes[i])
            canvas.setColor(color(classes[i]), alpha: tail ? 0.95 : 0.65)
            canvas.marker(tail ? .triangle : .circle, at: sx, sy, size: tail ? pointSize * 1.5 : pointSize, hollow: tail)
        }
        canvas.unclip()
        frame.drawLegend(on: canvas, legend)
        if usesColourBar {
            ColourBar(label: "class index (0 = largest)", lower: 0, upper: Double(classNames.count - 1), color: { Palette.viridis($0) })
                .draw(on: canvas, beside: frame.plot, offset: 14)
        }
    }
}
