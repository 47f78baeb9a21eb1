import Crypto
import Foundation

/// SHA-256 helpers: cache keys, output digests and artifact checksums, all as lowercase hex.
public enum Digest {
    /// SHA-256 of the UTF-8 bytes of `text`.
    public static func sha256(_ text: String) -> String { hex(SHA256.hash(data: Data(text.utf8))) }

    /// SHA-256 and size of a file, read in 1 MiB chunks so large checkpoints do not fill memory.
    public static func sha256(file url: URL) throws -> (sha256: String, bytes: Int64) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += Int64(chunk.count)
        }
        return (hex(hasher.finalize()), bytes)
    }

    private static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// The cache key of a step: SHA-256 of its kind, its kind's version, its canonical parameters and
/// the output digests of its inputs (by input name, in list order), and — only for steps that have
/// one — the identity of what it reads from the data directory. The step's name is not part of
/// it: two steps that compute the same thing share one result.
public enum CacheKey {
    public static func compute(kind: String, version: Int, parameters: Parameters,
                               inputDigests: [(name: String, digests: [String])], external: ParameterValue? = nil) throws -> String {
        let inputs = ParameterValue.map(Dictionary(uniqueKeysWithValues: inputDigests.map { input in
            (input.name, ParameterValue.list(input.digests.map(ParameterValue.string)))
        }))
        var description: [String: ParameterValue] = [
            "kind": .string(kind), "version": .int(version),
            "params": .map(parameters.values), "inputs": inputs,
        ]
        if let external { description["external"] = external }
        return Digest.sha256(try ParameterValue.map(description).canonicalJSON)
    }

    /// The digest dependents see: SHA-256 over the artifacts' (name, sha256) and the metrics, so a
    /// rerun that produces identical outputs leaves its dependents cached. Timings
    /// (`StepResult.timings`) are not passed here: they differ between identical runs.
    public static func outputDigest(artifacts: [(name: String, sha256: String)], metrics: [Metric]) -> String {
        let files = artifacts.sorted { $0.name < $1.name }.map { "\($0.name)\t\($0.sha256)" }
        let numbers = metrics.map { m in
            [m.name, "\(m.value)", m.epoch.map(String.init) ?? "", m.classIndex.map(String.init) ?? "", m.split ?? ""]
                .joined(separator: "\t")
        }
        return Digest.sha256((["artifacts"] + files + ["metrics"] + numbers).joined(separator: "\n"))
    }
}
