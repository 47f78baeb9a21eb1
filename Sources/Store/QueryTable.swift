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
    public func rendered(as format: Format) -> String {
        switch format {
        case .table: return alignedText()
        case .csv: return csv()
        case .json: return json()
        }
    }

    private func alignedText() -> String {
        let cells = rows.map { $0.map(Self.text) }
        var widths = columns.map(\.count)
        for row in cells { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(columns), rule] + cells.map(line)).joined(separator: "\n") + "\n"
    }

    private func csv() -> String {
        func field(_ s: String) -> String {
            s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        let lines = [columns.map(field)] + rows.map { $0.map { field(Self.text($0)) } }
        return lines.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    private func json() -> String {
        let objects: [[String: Any]] = rows.map { row in
            Dictionary(uniqueKeysWithValues: zip(columns, row.map(Self.jsonValue)))
        }
        let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
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

extension ExperimentStore {
    /// Runs one SQL statement and returns its rows. On a read-only store a write is refused.
    public func query(_ sql: String) throws -> QueryTable {
        try read { db in
            let statements = try db.allStatements(sql: sql)
            guard let statement = try statements.next() else { throw StoreError.sqlite(url, "no SQL statement given") }
            guard try statements.next() == nil else {
                throw StoreError.sqlite(url, "give one SQL statement at a time (found more than one)")
            }
            let columns = statement.columnNames
            let rows = try Row.fetchAll(statement).map { row in Array(row.databaseValues) }
            return QueryTable(columns: columns, rows: rows)
        }
    }
}
