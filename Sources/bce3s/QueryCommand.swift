import ArgumentParser
import Store

/// `bce3s query SQL`: runs SQL on a read-only connection to the store.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Query the results store with SQL (read-only; writes are refused).",
        discussion: "Tables: run, step, step_input, run_step, artifact, metric. "
            + "Views: train_result, step_summary, step_metric. Example: bce3s query \"SELECT * FROM train_result\"")

    @Argument(help: "One SQL statement.") var sql: String
    @Option(help: "Output format: table, csv or json.") var format: QueryTable.Format = .table
    @OptionGroup var results: ResultsOptions

    func run() throws {
        try CommandErrors.reporting {
            let store = try ExperimentStore.openReadOnly(at: results.layout.store)
            print(try store.query(sql).rendered(as: format), terminator: "")
        }
    }
}

extension QueryTable.Format: ExpressibleByArgument {}
