import Foundation
import GRDB

/// The result of an ad-hoc SQL query: column names and rows of database values.
public struct QueryTable: Equatable {
    public var columns: [String]
    public var rows: [[DatabaseValue]]

    public init(columns: [String], rows: [[DatabaseValue]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The output formats of `bce3s query`.
    public enum Format: String, CaseIterable, Sendable { case table, csv, json }

    /// Renders the table as an aligned text table, RFC 4180 CSV, or a JSON array of objects.
    public func rendered(as format: Format) throws -> String {
        var text = ""
        var writer = QueryWriter(format: format, columns: columns) { text += $0 }
        for row in rows { try writer.add(row) }
        writer.finish()
        return text
    }
}

/// Renders query rows as they arrive, so a large result is never held in memory. The aligned
/// text table takes its column widths from the first `widthSample` rows (later, wider cells just
/// stretch their line); CSV and JSON are written row by row.
public struct QueryWriter {
    public static let widthSample = 1_000

    private let format: QueryTable.Format
    private let columns: [String]
    /// The first column name that appears a second time, if any.
    private let repeatedColumn: String?
    private let write: (String) -> Void
    private var pending: [[String]] = []
    private var widths: [Int]?
    private var rowsWritten = 0

    public init(format: QueryTable.Format, columns: [String], write: @escaping (String) -> Void) {
        self.format = format
        self.columns = columns
        repeatedColumn = columns.indices.first { columns[..<$0].contains(columns[$0]) }.map { columns[$0] }
        self.write = write
        switch format {
        case .table: break
        case .csv: write(Self.csvLine(columns))
        case .json: write("[")
        }
    }

    /// A JSON object cannot hold two columns of one name: `SELECT 1 AS a, 2 AS a` with
    /// `--format json` is this error rather than a row that loses a value.
    public struct DuplicateColumn: Error, CustomStringConvertible {
        public var name: String
        public var description: String {
            "--format json: column '\(name)' appears more than once; give the columns distinct names (SELECT … AS …)"
        }
    }

    /// Writes one row; JSON rows are objects with sorted keys (Foundation's `JSONSerialization`).
    public mutating func add(_ row: [DatabaseValue]) throws {
        switch format {
        case .table:
            let cells = row.map(Self.text)
            if let widths { write(Self.line(cells, widths)) } else {
                pending.append(cells)
                if pending.count >= Self.widthSample { flushTable() }
            }
        case .csv:
            write(Self.csvLine(row.map(Self.text)))
        case .json:
            if let repeatedColumn { throw DuplicateColumn(name: repeatedColumn) }
            let object = Dictionary(uniqueKeysWithValues: zip(columns, row.map(Self.jsonValue)))
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            write((rowsWritten == 0 ? "\n  " : ",\n  ") + String(decoding: data, as: UTF8.self))
        }
        rowsWritten += 1
    }

    /// Writes what is still buffered and closes the output (the table's header when no row came).
    public mutating func finish() {
        switch format {
        case .table: if widths == nil { flushTable() }
        case .csv: break
        case .json: write(rowsWritten == 0 ? "]\n" : "\n]\n")
        }
    }

    private mutating func flushTable() {
        var widths = columns.map(\.count)
        for row in pending { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        write(Self.line(columns, widths))
        write(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n")
        for row in pending { write(Self.line(row, widths)) }
        pending = []
        self.widths = widths
    }

    private static func line(_ values: [String], _ widths: [Int]) -> String {
        zip(values, widths).map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
    }

    private static func csvLine(_ values: [String]) -> String {
        values.map { s in
            s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }.joined(separator: ",") + "\n"
    }

    private static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return ""
        case .int64(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return s
        case .blob(let data): return "<\(data.count) bytes>"
        }
    }

    private static func jsonValue(_ value: DatabaseValue) -> Any {
        switch value.storage {
        case .null: return NSNull()
        case .int64(let i): return i
        case .double(let d): return d.isFinite ? d : String(d)
        case .string(let s): return s
        case .blob(let data): return data.base64EncodedString()
        }
    }
}

/// When `bce3s query` stops: after `maxRows` rows, or `seconds` after it started (nil: no limit).
public struct QueryLimits: Sendable {
    public var maxRows: Int?
    public var seconds: Double?

    public init(maxRows: Int?, seconds: Double?) {
        self.maxRows = maxRows
        self.seconds = seconds
    }
}

extension ExperimentStore {
    /// Runs one SQL statement and returns its rows. On a read-only store a write is refused.
    public func query(_ sql: String) throws -> QueryTable {
        var rows: [[DatabaseValue]] = []
        var columns: [String] = []
        try query(sql, limits: QueryLimits(maxRows: nil, seconds: nil), columns: { columns = $0 }, row: { rows.append($0) })
        return QueryTable(columns: columns, rows: rows)
    }

    /// Runs one SQL statement and hands each row to `row` as SQLite produces it. Throws
    /// `StoreError.limitReached` past `limits.maxRows` rows or `limits.seconds` seconds (rows
    /// already handed over stay valid output); on a read-only store a write is refused.
    public func query(_ sql: String, limits: QueryLimits, columns: ([String]) -> Void,
                      row: ([DatabaseValue]) throws -> Void) throws {
        // On the timer's own clock: Date() can lag it, and then the timer's interrupt was
        // reported as a plain "interrupted" SQLite error.
        let started = DispatchTime.now()
        let timer = limits.seconds.map { seconds -> DispatchWorkItem in
            let item = DispatchWorkItem { [database] in database.interrupt() }
            DispatchQueue.global().asyncAfter(deadline: started + seconds, execute: item)
            return item
        }
        defer { timer?.cancel() }
        var count = 0
        do {
            try read { db in
                let statements = try db.allStatements(sql: sql)
                guard let statement = try statements.next() else { throw StoreError.sqlite(url, "no SQL statement given") }
                guard try statements.next() == nil else {
                    throw StoreError.sqlite(url, "give one SQL statement at a time (found more than one)")
                }
                columns(statement.columnNames)
                do {
                    let cursor = try Row.fetchCursor(statement)
                    while let next = try cursor.next() {
                        if let maxRows = limits.maxRows, count >= maxRows {
                            throw StoreError.limitReached("stopped after \(maxRows) rows (--max-rows; 0 for no limit)")
                        }
                        try row(Array(next.databaseValues))
                        count += 1
                    }
                } catch let error as DatabaseError where !statement.isReadonly && error.resultCode != .SQLITE_INTERRUPT {
                    // A statement that would change the store, failing: said in words, since inside the
                    // read transaction SQLite's own error can be about the transaction ("cannot change
                    // into wal mode from within a transaction" for `PRAGMA journal_mode=WAL`).
                    throw StoreError.readOnly(url, "bce3s query only reads, and this statement would change the store "
                                                   + "(SQLite: \(error.message ?? "\(error.resultCode)"))")
                }
            }
        } catch StoreError.sqlite(_, let message)
                    where message.contains("interrupt") && limits.seconds.map({ DispatchTime.now() >= started + $0 }) == true {
            throw StoreError.limitReached("stopped after \(limits.seconds!) s and \(count) rows (--timeout; 0 for no limit)")
        }
    }
}
