import Crypto
import Foundation

/// Digests of files and buffers through swift-crypto, streamed so a 170 MB archive is never
/// held in memory just to be hashed.
public enum Checksums {
    /// The digest of `data` with the same algorithm as `like`.
    public static func digest(of data: Data, like expected: Checksum) -> Checksum {
        switch expected {
        case .md5: return .md5(hex(Insecure.MD5.hash(data: data)))
        case .sha1: return .sha1(hex(Insecure.SHA1.hash(data: data)))
        case .sha256: return .sha256(hex(SHA256.hash(data: data)))
        }
    }

    /// The digest of the file at `url` with the same algorithm as `like`, read in 4 MB chunks.
    public static func digest(ofFileAt url: URL, like expected: Checksum) throws -> Checksum {
        switch expected {
        case .md5: return .md5(try stream(url, into: Insecure.MD5()))
        case .sha1: return .sha1(try stream(url, into: Insecure.SHA1()))
        case .sha256: return .sha256(try stream(url, into: SHA256()))
        }
    }

    /// SHA-256 of raw bytes as lower-case hex.
    public static func sha256Hex<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        hex(SHA256.hash(data: bytes))
    }

    private static func stream<H: HashFunction>(_ url: URL, into hasher: H) throws -> String {
        var hasher = hasher
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw DatasetError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        defer { try? handle.close() }
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hex(hasher.finalize())
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
