import ArgumentParser

/// The `bce3s` command-line tool: data, training, pipelines, store queries, figures and benchmarks.
@main
struct BCE3S: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bce3s",
        abstract: "Reproduce BCE3S long-tailed recognition results with a cached, queryable pipeline.",
        subcommands: [DataCommand.self, RunCommand.self, StatusCommand.self, QueryCommand.self, ShowCommand.self,
                      GCCommand.self, StepWorkerCommand.self, BenchCommand.self, AnalyseCommand.self,
                      TrainCommand.self, FiguresCommand.self, TableCommand.self, ClaimsCommand.self, ReportCommand.self,
                      MigrateCommand.self]
    )
}
