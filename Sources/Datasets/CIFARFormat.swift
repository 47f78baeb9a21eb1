/// The two CIFAR binary formats: where the official archives live, how they are laid out and
/// which checksums identify the official files (METHOD.md §1).
public enum CIFARKind: String, CaseIterable, Codable, Sendable {
    case cifar10
    case cifar100

    /// Everything about the on-disk layout of this dataset.
    public var format: CIFARFormat {
        switch self {
        case .cifar10: return .cifar10
        case .cifar100: return .cifar100
        }
    }
}

/// A file digest with its algorithm, compared as lower-case hex.
public enum Checksum: Equatable, Sendable, CustomStringConvertible {
    case md5(String)
    case sha1(String)
    case sha256(String)

    public var hex: String {
        switch self {
        case .md5(let h), .sha1(let h), .sha256(let h): return h.lowercased()
        }
    }

    public var algorithm: String {
        switch self {
        case .md5: return "md5"
        case .sha1: return "sha1"
        case .sha256: return "sha256"
        }
    }

    public var description: String { "\(algorithm) \(hex)" }
}

/// Layout of one CIFAR binary archive: records of label byte(s) followed by 3,072 pixel bytes
/// (1,024 R, 1,024 G, 1,024 B, row-major), split over the listed files.
public struct CIFARFormat: Sendable {
    public static let imageSide = 32
    public static let channels = 3
    public static let imageBytes = 3 * 32 * 32

    public let kind: CIFARKind
    /// Name of the `.tar.gz` as distributed.
    public let archiveName: String
    public let url: String
    /// md5 of the official archive.
    public let archiveMD5: String
    /// Folder the archive extracts to.
    public let folderName: String
    /// Training files in file order (their concatenation defines global training indices).
    public let trainFiles: [String]
    public let testFiles: [String]
    /// 1 (CIFAR-10: label) or 2 (CIFAR-100: coarse, fine).
    public let labelBytes: Int
    public let classCount: Int
    public let coarseClassCount: Int?
    /// Content checksums of the official extracted files, keyed by path inside the archive.
    public let officialContentChecksums: [String: Checksum]

    public var recordBytes: Int { labelBytes + Self.imageBytes }
    /// Every data file, relative to the archive root (train files first).
    public var dataFiles: [String] { trainFiles + testFiles }

    public static let cifar10 = CIFARFormat(
        kind: .cifar10,
        archiveName: "cifar-10-binary.tar.gz",
        url: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
        archiveMD5: "c32a1d4ab5d03f1284b67883e8d87530",
        folderName: "cifar-10-batches-bin",
        trainFiles: (1...5).map { "cifar-10-batches-bin/data_batch_\($0).bin" },
        testFiles: ["cifar-10-batches-bin/test_batch.bin"],
        labelBytes: 1, classCount: 10, coarseClassCount: nil,
        officialContentChecksums: [
            "cifar-10-batches-bin/data_batch_1.bin": .sha256("cee916563c9f80d84e3cc88e17fdc0941787f1244f00a67874d45b261883ada5"),
            "cifar-10-batches-bin/data_batch_2.bin": .sha256("a591ca11fa1708a91ee40f54b3da4784ccd871ecf2137de63f51ada8b3fa57ed"),
            "cifar-10-batches-bin/data_batch_3.bin": .sha256("bbe8596564c0f86427f876058170b84dac6670ddf06d79402899d93ceea26f67"),
            "cifar-10-batches-bin/data_batch_4.bin": .sha256("014e562d6e23c72197cc727519169a60359f5eccd8945ad5a09d710285ff4e48"),
            "cifar-10-batches-bin/data_batch_5.bin": .sha256("755304fc0b379caeae8c14f0dac912fbc7d6cd469eb67a1029a08a39453a9add"),
            "cifar-10-batches-bin/test_batch.bin": .sha256("8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b"),
        ])

    public static let cifar100 = CIFARFormat(
        kind: .cifar100,
        archiveName: "cifar-100-binary.tar.gz",
        url: "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz",
        archiveMD5: "03b5dce01913d631647c71ecec9e9cb8",
        folderName: "cifar-100-binary",
        trainFiles: ["cifar-100-binary/train.bin"],
        testFiles: ["cifar-100-binary/test.bin"],
        labelBytes: 2, classCount: 100, coarseClassCount: 20,
        officialContentChecksums: [
            "cifar-100-binary/train.bin": .sha1("e207cd2e05b73b1393c74c7f5e7bea451d63e08e"),
            "cifar-100-binary/test.bin": .sha1("8fb6623e830365ff53cf14adec797474f5478006"),
        ])
}
