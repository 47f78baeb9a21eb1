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

    /// ArgumentParser's `main`, except for errors a command's `run` throws: a Foundation file error
    /// it did not report itself (`bce3s train --out` where a file is in the way) is one line naming
    /// the path, exit 1; a `ValidationError` (a value found wrong once the command ran, such as
    /// `bce3s train --model foo`) is its message and a pointer to that command's help, exit 64,
    /// where ArgumentParser would print the top-level usage (`bce3s <subcommand>`).
    static func main() {
        // `bce3s --version` alone is `bce3s version`: the version is read at run time, not a constant.
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments == ["--version"] ? ["version"] : arguments)
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch let error as CocoaError where error.isFileError {
            CommandErrors.printError("error: \(CommandErrors.text(error))")
            exit(withError: ExitCode(1))
        } catch let error as ValidationError {
            let name = commandPath(to: type(of: command)) ?? configuration.commandName ?? "bce3s"
            CommandErrors.printError("Error: \(error.message)\n  See '\(name) --help' for more information.")
            exit(withError: ExitCode.validationFailure)
        } catch {
            exit(withError: error)
        }
    }

    /// The words that name `command` on the command line (`bce3s data synth`), found by walking the
    /// subcommand tree from `root`; nil if `command` is not in it.
    static func commandPath(to command: ParsableCommand.Type, from root: ParsableCommand.Type = BCE3S.self) -> String? {
        let name = root.configuration.commandName ?? ""
        if command == root { return name }
        for child in root.configuration.subcommands {
            if let path = commandPath(to: command, from: child) { return name + " " + path }
        }
        return nil
    }
}
