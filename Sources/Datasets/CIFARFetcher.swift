import Foundation

/// Finds, downloads, verifies and extracts a CIFAR dataset, then reads it.
///
/// Look-up order: an extracted folder in the cache directory or the data directory (its files
/// verified against the content checksums), else the `.tar.gz` in the data directory (or the
/// cache directory), else a download from the official URL. An archive is accepted when its own
/// checksum matches, or — for repacked archives — when every extracted file matches its content
/// checksum. Extraction happens in a temporary directory that is renamed into the cache only
/// after verification, so a failure never leaves a half-written dataset behind.
public struct CIFARFetcher {
    /// Where archives and already-extracted folders are looked for (and downloads saved).
    public let dataDirectory: URL
    /// Where verified extracted folders are kept: the data directory when it is writable (or does
    /// not exist yet), else a per-data-directory folder under `$XDG_CACHE_HOME` or `~/.cache`.
    public let cacheDirectory: URL
    /// False: never touch the network (the offline message is thrown instead).
    public var allowDownload = true
    /// Human-readable notes (archive accepted by content, extraction path…).
    public var log: (String) -> Void = { _ in }
    public var downloadProgress: Downloader.Progress?
    /// Where to download the archive from instead of the official URL (a mirror); the
    /// official checksums still apply.
    public var downloadURL: URL?

    public init(dataDirectory: URL, cacheDirectory: URL? = nil) {
        self.dataDirectory = dataDirectory.standardizedFileURL
        self.cacheDirectory = cacheDirectory ?? Self.defaultCacheDirectory(for: self.dataDirectory)
    }

    /// `cacheHome` defaults to `$XDG_CACHE_HOME` or `~/.cache`.
    public static func defaultCacheDirectory(for dataDirectory: URL, cacheHome: URL? = nil) -> URL {
        if FileStaging.isWritableDirectory(dataDirectory) || !FileManager.default.fileExists(atPath: dataDirectory.path) {
            return dataDirectory
        }
        let environment = ProcessInfo.processInfo.environment
        let base = cacheHome ?? environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        let key = Checksums.sha256Hex(Array(dataDirectory.standardizedFileURL.path.utf8)).prefix(16)
        return base.appendingPathComponent("bce3s/data/\(key)")
    }

    /// Makes sure a verified extracted copy exists and returns the directory that contains the
    /// dataset's folder (`<root>/cifar-10-batches-bin/…`) and the checksums it satisfies.
    /// `verifyExisting: false` skips hashing an already-extracted folder (for callers that
    /// verify every file while reading it, like `load`).
    public func prepare(_ kind: CIFARKind, verifyExisting: Bool = true) throws -> (root: URL, expected: ExpectedChecksums) {
        let format = kind.format
        try checkDataDirectory()
        let expected = try ExpectedChecksums.resolve(format, dataDir: dataDirectory)
        for root in [cacheDirectory, dataDirectory]
        where FileManager.default.fileExists(atPath: root.appendingPathComponent(format.folderName).path) {
            if verifyExisting { try verifyContents(of: format, under: root, expected: expected, archive: nil) }
            return (root, expected)
        }
        let archive = try locateOrDownloadArchive(format)
        try extractVerified(archive, format: format, expected: expected)
        return (cacheDirectory, expected)
    }

    /// `prepare`, then reads both splits, verifying each file's checksum as it is read.
    public func load(_ kind: CIFARKind) throws -> CIFARDataset {
        let (root, expected) = try prepare(kind, verifyExisting: false)
        let format = kind.format
        do {
            let train = try CIFARReader.read(files: format.trainFiles, under: root, format: format, expected: expected.contents)
            let test = try CIFARReader.read(files: format.testFiles, under: root, format: format, expected: expected.contents)
            return CIFARDataset(kind: kind, train: train, test: test, isSynthetic: expected.isSynthetic)
        } catch let error as DatasetError {
            let folder = root.appendingPathComponent(format.folderName)
            throw explainingGeneratedData(error, folder: folder, source: folder.path, format: format, expected: expected)
        }
    }

    /// A data directory that exists must be a readable directory (a file or an unreadable folder
    /// is not "data not found").
    private func checkDataDirectory() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dataDirectory.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw DatasetError.unreadable(file: dataDirectory.path, reason: "the data directory is a file, not a directory")
        }
        guard FileManager.default.isReadableFile(atPath: dataDirectory.path),
              FileManager.default.isExecutableFile(atPath: dataDirectory.path) else {
            throw DatasetError.unreadable(file: dataDirectory.path, reason: "no permission to read the data directory")
        }
    }

    /// A checksum failure of data held to the official checksums, when `folder` (extracted from
    /// `source`) is in fact generated by `bce3s data synth` — its label names say so — and its
    /// manifest is missing: says that, keeping the checksum failure as the detail.
    private func explainingGeneratedData(_ error: DatasetError, folder: URL, source: String, format: CIFARFormat,
                                         expected: ExpectedChecksums) -> DatasetError {
        guard !expected.isSynthetic, Self.looksGenerated(folder) else { return error }
        return .invalidManifest(file: dataDirectory.appendingPathComponent(SyntheticManifest.fileName(for: format.kind)).path,
                                reason: "missing, but \(source) holds generated data (bce3s data synth), so the official "
                                    + "checksums apply and reject it (\(error)); put the manifest back beside the archive or "
                                    + "generate the data again")
    }

    /// Whether an extracted folder was written by `SyntheticCIFAR` (its label names are `synthetic_class_…`).
    static func looksGenerated(_ folder: URL) -> Bool {
        ["batches.meta.txt", "fine_label_names.txt"].contains { name in
            (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))?.hasPrefix("synthetic_class_") ?? false
        }
    }

    private func locateOrDownloadArchive(_ format: CIFARFormat) throws -> URL {
        for directory in [dataDirectory, cacheDirectory] {
            let candidate = directory.appendingPathComponent(format.archiveName)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        guard allowDownload else {
            throw DatasetError.notFoundOffline(dataset: format.kind, dataDir: dataDirectory.path, reason: "downloads disabled")
        }
        let writableData = FileStaging.isWritableDirectory(dataDirectory)
            || !FileManager.default.fileExists(atPath: dataDirectory.path)
        let target = (writableData ? dataDirectory : cacheDirectory).appendingPathComponent(format.archiveName)
        let source = downloadURL ?? URL(string: format.url)!
        log("downloading \(source.absoluteString) to \(target.path)")
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Downloader.download(source, to: target, progress: downloadProgress)
        } catch {
            throw DatasetError.notFoundOffline(dataset: format.kind, dataDir: dataDirectory.path, reason: "\(error)")
        }
        return target
    }

    private func extractVerified(_ archive: URL, format: CIFARFormat, expected: ExpectedChecksums) throws {
        let actualArchive = try Checksums.digest(ofFileAt: archive, like: expected.archive)
        let archiveMatches = actualArchive == expected.archive
        try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
        let staging = try FileStaging.makeTemporaryDirectory(in: cacheDirectory, purpose: "extract")
        defer { try? FileManager.default.removeItem(at: staging) }
        do {
            do { try FileStaging.runTar(["-xzf", archive.path, "-C", staging.path]) } catch let failure as FileStaging.TarFailure {
                throw DatasetError.extractionFailed(archive: archive.path, reason: failure.message)
            }
            try verifyContents(of: format, under: staging, expected: expected, archive: archive.path)
        } catch let error as DatasetError where !archiveMatches {
            let rejected = DatasetError.archiveRejected(archive: archive.path, expected: expected.archive,
                                                        actual: actualArchive, reason: error.description)
            throw explainingGeneratedData(rejected, folder: staging.appendingPathComponent(format.folderName),
                                          source: archive.path, format: format, expected: expected)
        }
        if !archiveMatches {
            log("\(archive.lastPathComponent): \(expected.archive.algorithm) \(actualArchive.hex) is not the "
                + "distributed archive's, but every extracted file matches its content checksum: accepted")
        }
        let destination = cacheDirectory.appendingPathComponent(format.folderName)
        do {
            try FileStaging.moveIntoPlace(staging.appendingPathComponent(format.folderName), to: destination)
        } catch where FileManager.default.fileExists(atPath: destination.path) {
            log("\(destination.path) was extracted concurrently by another process: using it")
            return
        }
        log("extracted \(format.folderName) into \(cacheDirectory.path)")
    }

    /// Checks that every data file exists under `root` and matches its content checksum.
    private func verifyContents(of format: CIFARFormat, under root: URL, expected: ExpectedChecksums,
                                archive: String?) throws {
        for file in format.dataFiles {
            let url = root.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw DatasetError.missingFile(file: archive == nil ? url.path : file, inArchive: archive)
            }
            guard let checksum = expected.contents[file] else { continue }
            let actual = try Checksums.digest(ofFileAt: url, like: checksum)
            guard actual == checksum else {
                let name = archive.map { "\($0): \(file)" } ?? url.path
                throw DatasetError.checksumMismatch(file: name, expected: checksum, actual: actual)
            }
        }
    }
}
