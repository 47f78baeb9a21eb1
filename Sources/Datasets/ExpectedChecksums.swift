import Foundation

/// The checksums a data directory must satisfy: the official ones, or — only when the directory
/// is marked as synthetic by a manifest written by `bce3s data synth` — the manifest's own.
///
/// Files named like the official ones are thus always held to the official checksums unless
/// the user (or the smoke pipeline) deliberately generated them; reports can tell the two apart
/// through `isSynthetic`.
public struct ExpectedChecksums: Sendable, Equatable {
    /// Checksum of the `.tar.gz` (official md5, or the manifest's SHA-256).
    public let archive: Checksum
    /// Checksum of every data file, keyed by its path inside the archive.
    public let contents: [String: Checksum]
    public let isSynthetic: Bool

    public static func official(_ format: CIFARFormat) -> ExpectedChecksums {
        ExpectedChecksums(archive: .md5(format.archiveMD5), contents: format.officialContentChecksums, isSynthetic: false)
    }

    /// The manifest's checksums if `dataDir` holds a synthetic manifest for this dataset,
    /// else the official ones.
    public static func resolve(_ format: CIFARFormat, dataDir: URL) throws -> ExpectedChecksums {
        let url = dataDir.appendingPathComponent(SyntheticManifest.fileName(for: format.kind))
        guard FileManager.default.fileExists(atPath: url.path) else { return .official(format) }
        let manifest = try SyntheticManifest.read(from: url)
        guard manifest.dataset == format.kind.rawValue, manifest.archive == format.archiveName,
              Set(manifest.files.keys) == Set(format.dataFiles) else {
            throw DatasetError.invalidManifest(file: url.path, reason: "expected dataset \(format.kind.rawValue), "
                + "archive \(format.archiveName) and files \(format.dataFiles.joined(separator: ", "))")
        }
        return ExpectedChecksums(archive: .sha256(manifest.archiveSHA256),
                                 contents: manifest.files.mapValues { .sha256($0) }, isSynthetic: true)
    }
}

/// The manifest `bce3s data synth` writes beside a generated archive: it marks the directory as
/// synthetic and lists the SHA-256 of the archive and of each extracted file.
public struct SyntheticManifest: Codable, Equatable, Sendable {
    public var generator = "bce3s data synth"
    public var dataset: String
    public var archive: String
    public var archiveSHA256: String
    public var files: [String: String]
    public var perClass: Int
    public var testPerClass: Int
    public var seed: UInt64

    enum CodingKeys: String, CodingKey {
        case generator, dataset, archive, files, seed
        case archiveSHA256 = "archive_sha256"
        case perClass = "per_class"
        case testPerClass = "test_per_class"
    }

    public static func fileName(for kind: CIFARKind) -> String { "\(kind.rawValue).synthetic.json" }

    public static func read(from url: URL) throws -> SyntheticManifest {
        do {
            return try JSONDecoder().decode(SyntheticManifest.self, from: Data(contentsOf: url))
        } catch {
            throw DatasetError.invalidManifest(file: url.path, reason: "\(error)")
        }
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
