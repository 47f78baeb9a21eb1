import Foundation

/// Small filesystem helpers for "nothing half-written": work in a temporary directory beside the
/// destination, then move finished results into place with a rename.
enum FileStaging {
    /// A fresh hidden directory inside `parent` (created with intermediates), named after its
    /// owner: `.bce3s-PURPOSE-PID@HOST-UUID`. First removes the directories of the same purpose
    /// that a process of this host left when it was killed (`kill -9` during extraction leaves a
    /// whole extracted dataset): those whose process no longer exists. Another host's, or a live
    /// process's, are left alone — a shared data folder may be in use on other machines.
    static func makeTemporaryDirectory(in parent: URL, purpose: String) throws -> URL {
        removeAbandonedDirectories(in: parent, purpose: purpose)
        let owner = "\(getpid())@\(ProcessInfo.processInfo.hostName)"
        let url = parent.appendingPathComponent(".bce3s-\(purpose)-\(owner)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Removes `parent`'s `.bce3s-PURPOSE-PID@HOST-UUID` directories of this host whose process is gone.
    static func removeAbandonedDirectories(in parent: URL, purpose: String) {
        let prefix = ".bce3s-\(purpose)-", host = ProcessInfo.processInfo.hostName
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix(prefix) && name.count > prefix.count + 37 {
            let owner = name.dropFirst(prefix.count).dropLast(37)   // "-" + a 36-character UUID
            guard let at = owner.firstIndex(of: "@"), owner[owner.index(after: at)...] == host,
                  let pid = pid_t(owner[..<at]), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
        }
    }

    /// Moves `source` to `destination`, which must not exist yet (rename on one filesystem).
    static func moveIntoPlace(_ source: URL, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: source, to: destination)
    }

    /// A directory we may write into: writable for this process *and* with the owner's write
    /// bit set, so a directory made read-only on purpose (`chmod a-w`) is respected even by root.
    static func isWritableDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue,
              FileManager.default.isWritableFile(atPath: url.path),
              let mode = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.posixPermissions] as? NSNumber
        else { return false }
        return mode.intValue & 0o200 != 0
    }

    /// Runs `tar` with `arguments`; throws with tar's standard error on failure.
    static func runTar(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tar"] + arguments
        let errorPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw TarFailure(message: text.isEmpty ? "tar exited with status \(process.terminationStatus)" : text)
        }
    }

    struct TarFailure: Error { let message: String }
}
