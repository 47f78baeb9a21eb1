import Foundation

/// Reads and writes NumPy `.npy` files (format 1.0; 2.0 is accepted on read) holding
/// little-endian `float32` (`<f4`) or `int64` (`<i8`) arrays in C order — the two types the
/// pipeline exchanges with Python: the dataset step's subset indices, the analysis step's
/// features, coordinates and labels.
///
/// Writes go through `Data.write(options: .atomic)`, so a failed write never leaves a
/// half-written file behind.
public enum NPYFile {
    /// An `.npy` file that cannot be read, naming the file, the field and what was expected.
    public struct FormatError: Error, CustomStringConvertible {
        public let path: String
        public let field: String
        public let expected: String
        public let found: String

        public init(path: String, field: String, expected: String, found: String) {
            self.path = path; self.field = field; self.expected = expected; self.found = found
        }

        public var description: String {
            "\(path): field '\(field)': expected \(expected), found \(found)"
        }
    }

    /// Writes `values` (row-major, `shape` product elements) as a `<f4` array.
    public static func write(_ values: [Float], shape: [Int], to url: URL) throws {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        var data = header(descr: "<f4", shape: shape)
        values.withUnsafeBufferPointer { data.append(Data(buffer: $0)) }
        try data.write(to: url, options: .atomic)
    }

    /// Writes `values` (row-major, `shape` product elements) as a `<i8` array.
    public static func write(_ values: [Int], shape: [Int], to url: URL) throws {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        var data = header(descr: "<i8", shape: shape)
        let wide = values.map { Int64($0).littleEndian }
        wide.withUnsafeBufferPointer { data.append(Data(buffer: $0)) }
        try data.write(to: url, options: .atomic)
    }

    /// Reads a `<f4` array; returns its values in C order and its shape.
    public static func readFloats(from url: URL) throws -> (values: [Float], shape: [Int]) {
        let (payload, shape) = try read(url, descr: "<f4", width: 4)
        let values = payload.withUnsafeBytes { raw in
            (0..<(payload.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
        return (values, shape)
    }

    /// Reads a `<i8` array; returns its values in C order and its shape.
    public static func readInts(from url: URL) throws -> (values: [Int], shape: [Int]) {
        let (payload, shape) = try read(url, descr: "<i8", width: 8)
        let values = payload.withUnsafeBytes { raw in
            (0..<(payload.count / 8)).map { Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) }
        }
        return (values, shape)
    }

    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The magic, version 1.0, header length and the header dictionary, padded with
    /// spaces so that the data starts on a 64-byte boundary (as NumPy does).
    private static func header(descr: String, shape: [Int]) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = magic.count + 2 + 2 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data(magic + [1, 0])
        let length = UInt16(dict.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(dict.utf8))
        return data
    }

    private static func read(_ url: URL, descr: String, width: Int) throws -> (Data, [Int]) {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw FormatError(path: path, field: "file", expected: "a readable .npy file",
                              found: isDirectory.boolValue ? "a directory" : "no such file")
        }
        let bytes: Data
        do { bytes = try Data(contentsOf: url) } catch {
            throw FormatError(path: path, field: "file", expected: "a readable .npy file", found: "\(error.localizedDescription)")
        }
        guard bytes.count >= 10, Array(bytes.prefix(6)) == magic else {
            throw FormatError(path: path, field: "magic", expected: "\\x93NUMPY", found: "\(bytes.prefix(6).map { String(format: "%02x", $0) }.joined())")
        }
        let major = bytes[bytes.startIndex + 6]
        let lengthBytes = major == 1 ? 2 : 4
        guard major == 1 || major == 2, bytes.count >= 8 + lengthBytes else {
            throw FormatError(path: path, field: "version", expected: "1.x or 2.x", found: "\(major).x")
        }
        let headerLength = (0..<lengthBytes).reduce(0) { $0 | Int(bytes[bytes.startIndex + 8 + $1]) << (8 * $1) }
        let dataStart = 8 + lengthBytes + headerLength
        guard bytes.count >= dataStart, let dict = String(data: bytes[(8 + lengthBytes)..<dataStart], encoding: .ascii) else {
            throw FormatError(path: path, field: "header", expected: "\(headerLength) bytes of ASCII", found: "a truncated header")
        }
        let foundDescr = value(of: "descr", in: dict)?.trimmingCharacters(in: CharacterSet(charactersIn: "'\" ")) ?? "nothing"
        guard foundDescr == descr else {
            throw FormatError(path: path, field: "descr", expected: "'\(descr)'", found: "'\(foundDescr)'")
        }
        let order = value(of: "fortran_order", in: dict)?.trimmingCharacters(in: .whitespaces) ?? "nothing"
        guard order == "False" else {
            throw FormatError(path: path, field: "fortran_order", expected: "False (C order)", found: order)
        }
        guard let shapeText = value(of: "shape", in: dict), let shape = parseShape(shapeText) else {
            throw FormatError(path: path, field: "shape", expected: "a tuple of non-negative integers", found: value(of: "shape", in: dict) ?? "nothing")
        }
        let expectedBytes = shape.reduce(1, *) * width
        guard bytes.count - dataStart == expectedBytes else {
            throw FormatError(path: path, field: "data", expected: "\(expectedBytes) bytes for shape \(shape)", found: "\(bytes.count - dataStart) bytes")
        }
        return (Data(bytes[(bytes.startIndex + dataStart)...]), shape)
    }

    /// The text of `key`'s value in the header dictionary (up to the next top-level comma).
    private static func value(of key: String, in dict: String) -> String? {
        guard let keyRange = dict.range(of: "'\(key)':") else { return nil }
        var depth = 0
        var end = keyRange.upperBound
        for index in dict[keyRange.upperBound...].indices {
            let character = dict[index]
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if (character == "," && depth == 0) || character == "}" { end = index; break }
            end = dict.index(after: index)
        }
        return String(dict[keyRange.upperBound..<end])
    }

    private static func parseShape(_ text: String) -> [Int]? {
        let inner = text.trimmingCharacters(in: .whitespaces)
        guard inner.hasPrefix("("), inner.hasSuffix(")") else { return nil }
        let parts = inner.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let dims = parts.compactMap { Int($0) }
        return dims.count == parts.count && dims.allSatisfy { $0 >= 0 } ? dims : nil
    }
}
