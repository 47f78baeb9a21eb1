import CPNG
import Foundation

/// PNG files written and read by libpng. Writing adds tEXt chunks (provenance: pipeline,
/// step key, code version, …) — the reason not to use Cairo's own PNG writer.
public enum PNGFile {
    /// A PNG that could not be written or read, naming the file and what went wrong.
    public struct Failure: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// A decoded PNG: its header fields, pixels as 8-bit RGBA rows, and its text chunks in file order.
    public struct Decoded {
        public let width: Int
        public let height: Int
        /// libpng colour type (6 = RGBA) and bit depth of the file.
        public let colorType: Int
        public let bitDepth: Int
        public let rgba: [UInt8]
        public let texts: [(key: String, value: String)]

        /// The value of the first text chunk named `key`.
        public func text(_ key: String) -> String? { texts.first { $0.key == key }?.value }
    }

    /// Writes an 8-bit RGBA image atomically (a temporary file in the same folder, then a rename).
    /// Keys must be 1–79 printable Latin-1 characters; values Latin-1 (the tEXt rules).
    public static func write(rgba: [UInt8], width: Int, height: Int, texts: [(key: String, value: String)], to url: URL) throws {
        precondition(rgba.count == width * height * 4, "rgba must hold width × height × 4 bytes")
        for (key, value) in texts {
            guard (1...79).contains(key.unicodeScalars.count), key == key.trimmingCharacters(in: .whitespaces),
                  key.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value <= 255 && $0.value != 127 }) else {
                throw Failure(path: url.path, reason: "text key '\(key)' is not 1-79 printable Latin-1 characters")
            }
            guard value.unicodeScalars.allSatisfy({ $0.value <= 255 && $0.value != 0 }) else {
                throw Failure(path: url.path, reason: "text value of '\(key)' is not Latin-1")
            }
        }
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        var error = [CChar](repeating: 0, count: 256)
        // tEXt is Latin-1: pass each scalar as one byte.
        let latin1 = { (text: String) -> [CChar] in text.unicodeScalars.map { CChar(bitPattern: UInt8($0.value)) } + [0] }
        let keys = texts.map { latin1($0.key) }, values = texts.map { latin1($0.value) }
        let status: Int32 = withPointers(keys) { keyPointers in
            withPointers(values) { valuePointers in
                rgba.withUnsafeBufferPointer { pixels in
                    bce3s_png_write_rgba(temporary.path, pixels.baseAddress, UInt32(width), UInt32(height),
                                         keyPointers, valuePointers, Int32(texts.count), &error)
                }
            }
        }
        guard status == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(path: url.path, reason: "libpng: \(String(cString: error))")
        }
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(path: url.path, reason: "cannot move the finished file into place (errno \(errno))")
        }
    }

    /// Decodes the whole file with libpng (a corrupt file throws).
    public static func read(_ url: URL) throws -> Decoded {
        var width: UInt32 = 0, height: UInt32 = 0
        var colorType: Int32 = 0, bitDepth: Int32 = 0
        var pixels: UnsafeMutablePointer<UInt8>?
        var textBytes: UnsafeMutablePointer<CChar>?
        var textSize = 0, textCount: Int32 = 0
        var error = [CChar](repeating: 0, count: 256)
        let status = bce3s_png_read(url.path, &width, &height, &colorType, &bitDepth, &pixels, &textBytes, &textSize, &textCount, &error)
        defer { free(pixels); free(textBytes) }
        guard status == 0, let pixels, let textBytes else {
            throw Failure(path: url.path, reason: "libpng: \(String(cString: error))")
        }
        let rgba = Array(UnsafeBufferPointer(start: pixels, count: Int(width) * Int(height) * 4))
        // "key\0value\0…" in Latin-1.
        let fields = UnsafeBufferPointer(start: UnsafeRawPointer(textBytes).assumingMemoryBound(to: UInt8.self), count: textSize)
            .split(separator: 0, omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0.map { Unicode.Scalar($0) })) }
        let texts = (0..<Int(textCount)).map { (key: fields[2 * $0], value: fields[2 * $0 + 1]) }
        return Decoded(width: Int(width), height: Int(height), colorType: Int(colorType), bitDepth: Int(bitDepth), rgba: rgba, texts: texts)
    }

    /// Calls `body` with a C array of pointers to the NUL-terminated strings.
    private static func withPointers<R>(_ strings: [[CChar]], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        var pointers: [UnsafePointer<CChar>?] = []
        func nest(_ index: Int) -> R {
            guard index < strings.count else { return pointers.withUnsafeBufferPointer { body($0.baseAddress) } }
            return strings[index].withUnsafeBufferPointer { buffer in
                pointers.append(buffer.baseAddress)
                return nest(index + 1)
            }
        }
        return nest(0)
    }
}
