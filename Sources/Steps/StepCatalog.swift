import Pipeline

/// Every step kind this `bce3s` binary can run. The CLI hands `registry` to the pipeline runner and
/// to the worker command; domain kinds (dataset, train, analyse, figures, table) are listed here too.
public enum StepCatalog {
    /// Cheap, real kinds that exercise the runner without the engine (smoke tests, benchmarks).
    public static let primitives: [any StepKind] = [WriteStep(), SumStep(), CountStep(), FailStep()]

    /// The kinds that do the project's work: data, training, analysis, figures, tables.
    public static let domain: [any StepKind] = [DatasetStep(), TrainStep(), AnalyseStep(), FiguresStep(), TableStep()]

    public static let registry = StepRegistry(domain, runnerChecks: primitives)
}
