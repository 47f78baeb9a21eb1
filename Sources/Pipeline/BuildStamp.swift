import Foundation

/// What a bce3s binary was built from, kept beside it as `<binary>.build.json`: the source tree's
/// code version and `Package.resolved` summary when it was built, and the SHA-256 of the binary
/// it describes. `make build` writes it (`bce3s version --stamp`) right after compiling.
///
/// Why: a run records the code that made its results. Without a stamp the only witness is the
/// working directory's git state, which is wrong for a binary older than the checkout (a copy kept
/// for a days-long run while the tree moves on). The digest ties the stamp to one binary: a later
/// `swift build` that replaces the binary leaves a stale stamp, which is then ignored.
public struct BuildStamp: Codable, Equatable, Sendable {
    /// The code version of the tree the binary was built from (`git describe`, `-dirty`, or `unknown`).
    public let codeVersion: String
    /// The Swift package versions it was built with (`DependencyVersions.summary`), nil if unknown.
    public let dependencies: String?
    /// SHA-256 (lowercase hex) of the binary the stamp describes.
    public let binarySHA256: String

    public init(codeVersion: String, dependencies: String?, binarySHA256: String) {
        (self.codeVersion, self.dependencies, self.binarySHA256) = (codeVersion, dependencies, binarySHA256)
    }

    enum CodingKeys: String, CodingKey {
        case codeVersion = "code_version", dependencies, binarySHA256 = "binary_sha256"
    }

    /// Where the stamp of `executable` lives: the same path with `.build.json` appended.
    public static func location(of executable: URL) -> URL {
        executable.deletingLastPathComponent().appendingPathComponent(executable.lastPathComponent + ".build.json")
    }

    /// What is known about `executable`'s build.
    public enum Lookup: Equatable, Sendable {
        /// A stamp whose digest matches the binary.
        case stamped(BuildStamp)
        /// No stamp beside the binary (built with `swift build`, or copied without its stamp).
        case missing
        /// A stamp for another binary (rebuilt since, or a copy paired with the wrong stamp); the
        /// text says what does not match.
        case stale(String)
    }

    /// Reads and checks the stamp beside `executable` (hashing the binary, ~0.1 s for a release build).
    public static func lookup(for executable: URL) -> Lookup {
        let url = location(of: executable)
        guard let data = try? Data(contentsOf: url) else { return .missing }
        guard let stamp = try? JSONDecoder().decode(BuildStamp.self, from: data) else {
            return .stale("\(url.path) is not a build stamp (expected JSON with code_version and binary_sha256)")
        }
        guard let digest = try? Digest.sha256(file: executable).sha256 else {
            return .stale("cannot read \(executable.path) to check it against \(url.path)")
        }
        guard digest == stamp.binarySHA256 else {
            return .stale("\(url.path) describes another binary (SHA-256 \(stamp.binarySHA256.prefix(12))…, "
                          + "this one is \(digest.prefix(12))…): rebuilt since it was stamped")
        }
        return .stamped(stamp)
    }

    /// Writes the stamp of `executable` (digesting it now), through a temporary file and a rename.
    @discardableResult
    public static func write(codeVersion: String, dependencies: String?, for executable: URL) throws -> BuildStamp {
        let stamp = BuildStamp(codeVersion: codeVersion, dependencies: dependencies,
                               binarySHA256: try Digest.sha256(file: executable).sha256)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try (encoder.encode(stamp) + Data("\n".utf8)).write(to: location(of: executable), options: .atomic)
        return stamp
    }
}
