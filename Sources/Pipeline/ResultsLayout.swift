import Foundation
import Store

/// Where things live under the results directory (default `results/`).
///
/// ```
/// store.sqlite            the experiment store (single writer: the coordinator)
/// artifacts/<key>/…       outputs of succeeded steps, moved here only on success
/// staging/<key>/          a running step's job file, outputs and result file
/// work/<key>/             checkpoints that survive a kill, so a rerun of <key> resumes
/// logs/<key>.log          the worker's stdout and stderr
/// ```
public struct ResultsLayout: Sendable {
    public var root: URL

    public init(root: URL) { self.root = root.standardizedFileURL }

    public var store: URL { root.appendingPathComponent("store.sqlite") }
    /// Held by the coordinator for the whole run: one writer at a time.
    public var runLock: URL { root.appendingPathComponent(".run.lock") }
    public var artifactsRoot: URL { root.appendingPathComponent("artifacts") }
    public var stagingRoot: URL { root.appendingPathComponent("staging") }
    public var workRoot: URL { root.appendingPathComponent("work") }

    public func artifacts(_ key: String) -> URL { artifactsRoot.appendingPathComponent(key) }
    public func staging(_ key: String) -> URL { stagingRoot.appendingPathComponent(key) }
    public func work(_ key: String) -> URL { workRoot.appendingPathComponent(key) }
    public func log(_ key: String) -> URL { root.appendingPathComponent("logs").appendingPathComponent("\(key).log") }

    /// `path` (as stored in the `artifact` table) as a file URL.
    public func file(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }
}

/// An exclusive advisory lock on a file (`flock`), released when the process ends, even by kill -9.
public final class FileLock {
    private let descriptor: Int32

    /// Takes the lock; with `wait: false` returns nil at once if another process holds it.
    /// `holder` ("`bce3s gc` (pid 42)") is written into the file once the lock is taken, so a
    /// command refused meanwhile can say who holds it (`holder(of:)`).
    /// Throws `StoreError.notWritable` when the lock file's folder cannot be created or written.
    public init?(_ url: URL, wait: Bool, holder: String? = nil) throws {
        let folder = url.deletingLastPathComponent()
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw StoreError.folderNotCreatable(folder)
        }
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError.notWritable(folder, "cannot create \(url.lastPathComponent): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) == 0 else {
            close(fd)
            return nil
        }
        descriptor = fd
        if let holder {
            let text = Array("\(holder) (pid \(getpid()))\n".utf8)
            if ftruncate(fd, 0) == 0 { _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } }
        }
    }

    /// Who holds, or last held, the lock at `url`, as its holder wrote it; nil when unknown.
    public static func holder(of url: URL) -> String? {
        let text = (try? String(contentsOf: url, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? nil : text
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Whether another process holds the lock at `url`, found without creating or writing the
    /// file (for commands that only read, such as `gc --dry-run` on a read-only copy).
    public static func isHeld(_ url: URL) -> Bool {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_SH | LOCK_NB) == 0 else { return errno == EWOULDBLOCK }
        flock(fd, LOCK_UN)
        return false
    }
}
