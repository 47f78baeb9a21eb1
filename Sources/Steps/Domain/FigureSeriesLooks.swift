import Plotting

/// One look (colour, dash pattern, marker shape) per series name across every figure of a
/// `figures` step: the runs in their input order, then the stage-2 series of the runs that have
/// one. A method keeps its look in the training curves, the per-class accuracy and the
/// classifier norms, whatever order or subset of runs each figure draws.
struct FigureSeriesLooks {
    private let looks: [String: (color: Color, dash: [Double], marker: MarkerShape)]

    /// Looks for `names`, in that order (`Palette.seriesStyle` over all of them).
    init(names: [String]) {
        var looks: [String: (color: Color, dash: [Double], marker: MarkerShape)] = [:]
        for (index, name) in names.enumerated() where looks[name] == nil {
            let style = Palette.seriesStyle(index, of: names.count)
            looks[name] = (style.color, style.dash, MarkerShape.allCases[index % MarkerShape.allCases.count])
        }
        self.looks = looks
    }

    /// `series` with its look, when its name has one.
    func styled(_ series: LineChart.Series) -> LineChart.Series {
        guard let look = looks[series.name] else { return series }
        var styled = series
        (styled.color, styled.dash, styled.marker) = (look.color, look.dash, look.marker)
        return styled
    }

    /// A legend line for the series `name` (which must have a look).
    func lineLegend(_ name: String) -> LegendEntry {
        let look = looks[name]!
        return LegendEntry(name, color: look.color, marker: nil, line: true, dash: look.dash)
    }
}
