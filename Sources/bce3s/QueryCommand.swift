import ArgumentParser
import Foundation
import Store

/// `bce3s query SQL`: runs SQL on a read-only connection to the store, printing rows as they come.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Query the results store with SQL (read-only; writes are refused).",
        discussion: "Tables: run, step, step_input, run_step, artifact, metric. "
            + "Views: train_result, step_summary, step_metric, claim_result. Example: bce3s query \"SELECT * FROM train_result\". "
            + "Rows are printed as they come; the query stops with exit status 1 past --max-rows or --timeout.")

    @Argument(help: "One SQL statement.") var sql: String
    @Option(help: "Output format: table, csv or json.") var format: QueryTable.Format = .table
    @Option(parsing: .unconditional, help: "Stop after this many rows (0: no limit).") var maxRows: Int = 1_000_000
    @Option(parsing: .unconditional, help: "Stop after this many seconds (0: no limit).") var timeout: Double = 60
    @OptionGroup var results: ResultsOptions

    func validate() throws {
        guard maxRows >= 0 else { throw ValidationError("--max-rows must be >= 0, got \(maxRows)") }
        guard timeout >= 0, timeout.isFinite else { throw ValidationError("--timeout must be >= 0 seconds, got \(timeout)") }
    }

    func run() throws {
        try CommandErrors.reporting {
            let store = try ExperimentStore.openReadOnly(at: results.layout.store)
            var writer: QueryWriter?
            var rows = 0, succeeded = false
            let output = BufferedOutput()
            // A statement refused before its first row (a write, a syntax error) prints nothing on
            // standard output (the header is still in the buffer, and dropped); one stopped later
            // (a limit) ends the rows it printed.
            defer {
                if rows > 0 || succeeded {
                    writer?.finish()
                    output.flush()
                }
            }
            try store.query(sql, limits: QueryLimits(maxRows: maxRows == 0 ? nil : maxRows, seconds: timeout == 0 ? nil : timeout),
                            columns: { writer = QueryWriter(format: format, columns: $0, write: output.write) },
                            row: { try writer?.add($0); rows += 1 })
            succeeded = true
        }
    }
}

extension QueryTable.Format: ExpressibleByArgument {}

/// Standard output in 64 KiB writes: rows appear as they come without a system call per row.
final class BufferedOutput {
    private var buffer = Data()

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
