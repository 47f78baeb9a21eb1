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
    /// Refuses a store made by a newer or foreign bce3s (migrations this binary does not know), a
    /// store whose `quick_check` fails, and a folder it cannot write, each with what to do.
    public static func openForWriting(at url: URL) throws -> ExperimentStore {
        try StoreError.refuseUnusableFile(url)
        // A file with no write-ahead log beside it: opened read-only first, to refuse it untouched if it
        // records no run beside results (`recordsNoRun`). With a log, SQLite recovers the log's contents as it opens.
        let logSize = (try? FileManager.default.attributesOfItem(atPath: url.path + "-wal")[.size] as? Int) ?? nil
        let existed = FileManager.default.fileExists(atPath: url.path) && (logSize ?? 0) == 0
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError.folderNotCreatable(folder)
        }
        guard FileManager.default.isWritableFile(atPath: folder.path) else {
            throw StoreError.notWritable(folder, "no permission to write there")
        }
        if existed { _ = try openReadOnly(at: url, immutable: false, acceptingOutdated: true) }
        if !FileManager.default.fileExists(atPath: url.path) && logSize == nil { try create(at: url) }
        return try StoreError.explaining(url) {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(10)
            let pool = try DatabasePool(path: url.path, configuration: configuration)
            try pool.read { db in
                try StoreSchema.refuseUnknownMigrations(db, url: url)
                let problems = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard problems == ["ok"] else { throw StoreError.corrupt(url, problems.prefix(3).joined(separator: "; ")) }
            }
            try StoreSchema.migrator.migrate(pool)
            return ExperimentStore(url: url, database: pool)
        }
    }

    /// Makes a new store with the full schema under a temporary name and renames it into place, so
    /// `store.sqlite` never exists half-made: SQLite creates a database file empty and fills it on its
    /// first commit, and a `kill -9` in between would leave a 0-byte store that every command refuses
    /// (`emptied`). The caller holds the run lock, so a leftover temporary file is a killed creation's.
    private static func create(at url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".creating")
        for suffix in ["", "-journal"] { try? FileManager.default.removeItem(atPath: temporary.path + suffix) }
        try StoreError.explaining(url) {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            try StoreSchema.migrator.migrate(try DatabaseQueue(path: temporary.path, configuration: configuration))
        }
        try FileManager.default.moveItem(at: temporary, to: url)
    }

    /// Copies everything in the write-ahead log into `store.sqlite` and empties the log, so the file
    /// alone holds the results: a run that ends by a signal or an error exits without closing the
    /// store, and its folder may be copied or committed as it is.
    public func checkpointLog() throws {
        try StoreError.explaining(url) {
            try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
    }

    /// Whether an existing store has every migration of this binary (it reads only).
    public static func isUpToDate(at url: URL) throws -> Bool {
        try openReadOnly(at: url, acceptingOutdated: true).read { db in try StoreSchema.migrator.hasCompletedMigrations(db) }
    }

    /// Brings an existing store's schema up to date, as `openForWriting` does before a run, and
    /// returns the migrations it applied. For stores that no run will write again, such as a
    /// committed reference folder without its weights. A current store is not opened for
    /// writing at all, and a store kept in a rollback journal (a committed one: one file, no
    /// `-wal`) is put back in that mode afterwards, so migrating leaves nothing beside it.
    public static func migrate(at url: URL) throws -> [String] {
        let (before, upToDate) = try openReadOnly(at: url, acceptingOutdated: true).read { db in
            (try StoreSchema.migrator.appliedIdentifiers(db), try StoreSchema.migrator.hasCompletedMigrations(db))
        }
        guard !upToDate else { return [] }
        let after = try keepingJournalMode(at: url) { store in try store.read { db in try StoreSchema.migrator.appliedIdentifiers(db) } }
        return StoreSchema.migrator.migrations.filter { after.contains($0) && !before.contains($0) }
    }

    /// Runs `body` with the store opened for writing (`openForWriting`, which creates a missing
    /// one) and, when the existing store was kept in a rollback journal (a committed folder: one
    /// file, no `-wal`), puts it back in that mode once `body` is done (or has failed), so nothing is left beside it.
    public static func keepingJournalMode<T>(at url: URL, _ body: (ExperimentStore) throws -> T) throws -> T {
        let journal = FileManager.default.fileExists(atPath: url.path)
            ? try openReadOnly(at: url, acceptingOutdated: true).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "wal" }
            : "wal"
        let result = Result { try body(try openForWriting(at: url)) }
        if journal.lowercased() != "wal" {
            try StoreError.explaining(url) {
                let queue = try DatabaseQueue(path: url.path)
                _ = try queue.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = \(journal)") }
            }
        }
        return try result.get()
    }

    /// Opens an existing store read-only: any statement that would write fails. In a folder this
    /// process cannot write (a shared or read-only copy), the file is opened as immutable, which
    /// needs no `-shm` file; such a copy must not be written by anyone meanwhile.
    public static func openReadOnly(at url: URL) throws -> ExperimentStore {
        try openReadOnly(at: url, acceptingOutdated: false)
    }

    private static func openReadOnly(at url: URL, acceptingOutdated: Bool) throws -> ExperimentStore {
        let folder = url.deletingLastPathComponent().path
        let writable = FileManager.default.isWritableFile(atPath: folder) || FileManager.default.isWritableFile(atPath: url.path + "-shm")
        return try openReadOnly(at: url, immutable: !writable, acceptingOutdated: acceptingOutdated)
    }

    /// `immutable`: open through an `immutable=1` URI, which needs no `-shm` file (SQLite could
    /// not create one in a folder this process cannot write).
    static func openReadOnly(at url: URL, immutable: Bool, acceptingOutdated: Bool = false) throws -> ExperimentStore {
        guard FileManager.default.fileExists(atPath: url.path) else { throw StoreError.missing(url) }
        try StoreError.refuseUnusableFile(url)
        return try StoreError.explaining(url) {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            let path = immutable ? url.standardizedFileURL.absoluteString + "?immutable=1" : url.path
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in
                try StoreError.refuseRecordsNoRun(db, url: url, immutable: immutable)
                try StoreSchema.refuseUnknownMigrations(db, url: url)
            }
            let upToDate = try queue.read { db in try StoreSchema.migrator.hasCompletedMigrations(db) }
            guard upToDate || acceptingOutdated else { throw StoreError.outdated(url) }
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
    /// The store records migrations this binary does not know: made by a newer or another bce3s.
    case foreign(URL, unknownMigrations: [String], madeBy: String?)
    /// The results folder cannot be written (read-only mount, shared folder, a file in the way).
    case notWritable(URL, String)
    /// The store path is a directory or another non-file.
    case notAFile(URL)
    /// The store file is there but empty: its contents were lost (truncated, an interrupted copy).
    case emptied(URL)
    /// The store records no run while its folder holds results: a copy made without the
    /// write-ahead log of a killed run (or opened immutable, which does not read that log).
    case recordsNoRun(URL, immutable: Bool)
    /// A query went past its row or time limit (`QueryLimits`).
    case limitReached(String)

    public var description: String {
        switch self {
        case .missing(let url):
            var isDirectory: ObjCBool = false
            let folder = url.deletingLastPathComponent()
            if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return "\(folder.path) is a file, not a results folder (--results names the folder that holds store.sqlite)"
            }
            return "\(url.path): no store yet (it is created by `bce3s run`)"
        case .emptied(let url):
            return "\(url.path): the store is empty (0 bytes), so it knows none of this folder's results; restore it "
                + "from a copy (`git checkout` of a committed folder, a backup), or delete it to start a fresh store "
                + "(then every step runs again, and `bce3s gc` would delete the artifacts it no longer knows)"
        case .recordsNoRun(let url, let immutable):
            let log = url.lastPathComponent + "-wal"
            return "\(url.path): the store records no run while this folder holds results — what is left when a run killed with kill -9 is copied "
                + "without its write-ahead log, which holds its results: copy \(log) from the original folder beside it "
                + "(stopping a run with Ctrl-C folds the log in)"
                + (immutable ? "; this folder is not writable, so the store was opened without reading any \(log) here: "
                    + "copy the folder somewhere writable" : "")
                + ". Or delete it to start a fresh store (then every step runs again, and `bce3s gc` would delete the "
                + "artifacts it no longer knows)"
        case .corrupt(let url, let detail):
            return "\(url.path): not a valid bce3s store (\(detail)); move it away or delete it "
                + "to start a fresh store"
        case .outdated(let url):
            return "\(url.path): the store's schema is older than this bce3s; `bce3s migrate --results "
                + "\(url.deletingLastPathComponent().path)` (or any `bce3s run` there) brings it up to date"
        case .readOnly(let url, let detail):
            return "\(url.path) is opened read-only, so this statement was refused: \(detail)"
        case .sqlite(let url, let detail):
            return "\(url.path): \(detail)"
        case .foreign(let url, let unknown, let madeBy):
            return "\(url.path): made by \(madeBy.map { "bce3s \($0)" } ?? "another bce3s"), whose schema this bce3s does not "
                + "know (migrations \(unknown.joined(separator: ", "))); use that version or a newer one, or another --results folder"
        case .notWritable(let url, let detail):
            return "\(url.path): the results folder is not writable (\(detail)); runs need a writable folder — "
                + "copy it somewhere writable or choose another with --results (reading commands work as they are)"
        case .limitReached(let message):
            return message
        case .notAFile(let url):
            return "\(url.path): expected the store file, found a directory or other non-file; move it away"
        }
    }

    /// `notWritable` for a folder that could not be created: which ancestor is in the way and why.
    public static func folderNotCreatable(_ folder: URL) -> StoreError {
        var ancestor = folder.standardizedFileURL
        while ancestor.path != "/" {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) {
                return .notWritable(folder, isDirectory.boolValue ? "no permission to create folders in \(ancestor.path)"
                                                                  : "\(ancestor.path) is a file, not a folder")
            }
            ancestor.deleteLastPathComponent()
        }
        return .notWritable(folder, "cannot create it")
    }

    /// Throws `notAFile` when something other than a regular file (or a link to one) is at `url`,
    /// and `emptied` when the file is there but empty (no bytes, no write-ahead log): SQLite would
    /// take it for a new store and `run` would redo, `gc` delete, everything the folder holds.
    static func refuseUnusableFile(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return }
        if isDirectory.boolValue { throw StoreError.notAFile(url) }
        let size = { (path: String) in (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil }
        if size(url.path) == 0 && (size(url.path + "-wal") ?? 0) == 0 { throw StoreError.emptied(url) }
    }

    /// Throws `recordsNoRun` when the opened store records no run (no tables at all, or an empty
    /// `run` table) while its folder holds results (`artifacts/` or `work/` not empty): the store those
    /// results belong to lost its contents — typically a copy made without the write-ahead log of a
    /// killed run, which holds everything since the store was created — and taking it for a new
    /// store would redo (`run`) or delete (`gc`) them. Without results beside it, such a store is one
    /// whose first run was killed before its first commit, and a run starts it afresh.
    static func refuseRecordsNoRun(_ db: Database, url: URL, immutable: Bool = false) throws {
        let hasRunTable = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'run'") == 1
        guard try !hasRunTable || Int.fetchOne(db, sql: "SELECT count(*) FROM run") == 0 else { return }
        let folder = url.deletingLastPathComponent()
        let holdsResults = ["artifacts", "work"].contains { name in
            !((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(name).path)) ?? []).isEmpty
        }
        if holdsResults { throw StoreError.recordsNoRun(url, immutable: immutable) }
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
