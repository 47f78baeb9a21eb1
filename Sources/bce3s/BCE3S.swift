import Foundation
import ArgumentParser

/// The `bce3s` command-line tool: data, training, pipelines, store queries, figures and benchmarks.
@main
struct BCE3S: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bce3s",
        abstract: "Reproduce BCE3S long-tailed recognition results with a cached, queryable pipeline.",
        subcommands: [DataCommand.self, RunCommand.self, StatusCommand.self, QueryCommand.self, ShowCommand.self,
                      GCCommand.self, ImportCommand.self, StepWorkerCommand.self, BenchCommand.self, AnalyseCommand.self,
                      TrainCommand.self, FiguresCommand.self, TableCommand.self, ClaimsCommand.self, ReportCommand.self,
                      MigrateCommand.self, VersionCommand.self]
    )

    /// ArgumentParser's `main`, except that a Foundation file error that a command did not report
    /// itself (`bce3s train --out` where a file is in the way) is one line naming the path, exit 1.
    static func main() {
        do {
            // `bce3s --version` alone is `bce3s version`: the version is read at run time, not a constant.
            let arguments = Array(CommandLine.arguments.dropFirst())
            var command = try parseAsRoot(arguments == ["--version"] ? ["version"] : arguments)
            try command.run()
        } catch let error as CocoaError where error.isFileError {
            CommandErrors.printError("error: \(CommandErrors.text(error))")
            exit(withError: ExitCode(1))
        } catch {
            exit(withError: error)
        }
    }
}
