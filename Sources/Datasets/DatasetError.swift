/// Everything that can go wrong while finding, verifying and reading a dataset. Every case names
/// the file concerned and, for checksums and sizes, the expected and the actual value.
public enum DatasetError: Error, CustomStringConvertible, Equatable {
    case checksumMismatch(file: String, expected: Checksum, actual: Checksum)
    case archiveRejected(archive: String, expected: Checksum, actual: Checksum, reason: String)
    case missingFile(file: String, inArchive: String?)
    case badSize(file: String, expected: String, actual: Int)
    case badLabel(file: String, record: Int, label: Int, classCount: Int)
    case extractionFailed(archive: String, reason: String)
    case unreadable(file: String, reason: String)
    case notFoundOffline(dataset: CIFARKind, dataDir: String, reason: String)
    case invalidManifest(file: String, reason: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .checksumMismatch(file, expected, actual):
            return "\(file): checksum mismatch: expected \(expected), actual \(actual.hex)"
        case let .archiveRejected(archive, expected, actual, reason):
            return "\(archive): archive \(expected.algorithm) expected \(expected.hex), actual \(actual.hex), "
                + "and its contents do not verify either: \(reason)"
        case let .missingFile(file, archive):
            if let archive { return "\(archive): wrong layout: expected the file \(file) inside it" }
            return "\(file): missing"
        case let .badSize(file, expected, actual):
            return "\(file): wrong size: expected \(expected), actual \(actual) bytes"
        case let .badLabel(file, record, label, classCount):
            return "\(file): record \(record): label \(label) outside 0..<\(classCount)"
        case let .extractionFailed(archive, reason):
            return "\(archive): cannot extract (truncated or not a .tar.gz?): \(reason)"
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .notFoundOffline(dataset, dataDir, reason):
            let format = dataset.format
            return """
                \(dataset.rawValue) not found and could not be downloaded (\(reason)).
                Put \(format.archiveName) (from \(format.url), md5 \(format.archiveMD5)) \
                or its extracted folder \(format.folderName)/ into \(dataDir) and run the command again.
                """
        case let .invalidManifest(file, reason):
            return "\(file): invalid synthetic-data manifest: \(reason)"
        case let .invalidArgument(message):
            return message
        }
    }
}
