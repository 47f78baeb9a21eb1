import Foundation
import GRDB

/// The experiment store: `results/store.sqlite`, SQLite in WAL mode.
///
/// Exactly one process writes it (the coordinator of `bce3s run`, opened with `openForWriting`);
/// everyone else opens it with `openReadOnly`, which SQLite enforces, so readers never block the
/// writer and can never change a result.
public final class ExperimentStore {
    /// The database file this store was opened from.
    public let url: URL
    let database: any DatabaseWriter

    private init(url: URL, database: any DatabaseWriter) {
        self.url = url
        self.database = database
    }

    /// Opens (creating if needed) the store for the single writer and brings its schema up to date.
    public static func openForWriting(at url: URL) throws -> ExperimentStore {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        return try StoreError.explaining(url) {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(10)
            let pool = try DatabasePool(path: url.path, configuration: configuration)
            try StoreSchema.migrator.migrate(pool)
            return ExperimentStore(url: url, database: pool)
        }
    }

    /// Opens an existing store read-only: any statement that would write fails.
    public static func openReadOnly(at url: URL) throws -> ExperimentStore {
        guard FileManager.default.fileExists(atPath: url.path) else { throw StoreError.missing(url) }
        return try StoreError.explaining(url) {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: url.path, configuration: configuration)
            let upToDate = try queue.read { db in try StoreSchema.migrator.hasCompletedMigrations(db) }
            guard upToDate else { throw StoreError.outdated(url) }
            return ExperimentStore(url: url, database: queue)
        }
    }

    /// Reads in a consistent snapshot, translating SQLite failures into a `StoreError`.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try StoreError.explaining(url) { try database.read(body) }
    }

    /// Writes in one transaction: either every change lands or none does.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try StoreError.explaining(url) { try database.write(body) }
    }

    /// `PRAGMA integrity_check`: `["ok"]` for a healthy file, otherwise SQLite's list of problems.
    public func integrityCheck() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }
}

/// Why the store could not be used, phrased for the person at the terminal.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case missing(URL)
    case corrupt(URL, String)
    case outdated(URL)
    case readOnly(URL, String)
    case sqlite(URL, String)

    public var description: String {
        switch self {
        case .missing(let url):
            return "\(url.path): no store yet (it is created by `bce3s run`)"
        case .corrupt(let url, let detail):
            return "\(url.path): not a valid bce3s store (\(detail)); move it away or delete it "
                + "to start a fresh store"
        case .outdated(let url):
            return "\(url.path): the store's schema is older than this bce3s; run `bce3s run` once to migrate it"
        case .readOnly(let url, let detail):
            return "\(url.path) is opened read-only, so this statement was refused: \(detail)"
        case .sqlite(let url, let detail):
            return "\(url.path): \(detail)"
        }
    }

    /// Runs `body`, turning GRDB's database errors into store errors that name the file.
    static func explaining<T>(_ url: URL, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                throw StoreError.corrupt(url, error.message ?? "\(error.resultCode)")
            case .SQLITE_READONLY:
                throw StoreError.readOnly(url, error.message ?? "attempt to write")
            default:
                throw StoreError.sqlite(url, error.message ?? "\(error)")
            }
        }
    }
}
