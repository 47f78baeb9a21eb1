import Foundation

/// Parses CIFAR binary files (records of label byte(s) + 3,072 pixel bytes) and checks each file
/// against its expected content checksum while reading it.
public enum CIFARReader {
    /// Parses one file's bytes; `name` is used in errors.
    public static func parse(_ bytes: [UInt8], name: String, format: CIFARFormat) throws -> LabeledImages {
        let recordBytes = format.recordBytes
        guard !bytes.isEmpty, bytes.count % recordBytes == 0 else {
            throw DatasetError.badSize(file: name, expected: "a positive multiple of \(recordBytes) (record size)",
                                       actual: bytes.count)
        }
        let count = bytes.count / recordBytes
        var pixels = [UInt8](repeating: 0, count: count * CIFARFormat.imageBytes)
        var labels = [Int](repeating: 0, count: count)
        var coarse: [Int]? = format.labelBytes == 2 ? [Int](repeating: 0, count: count) : nil
        try bytes.withUnsafeBufferPointer { source in
            try pixels.withUnsafeMutableBufferPointer { out in
                for record in 0..<count {
                    let start = record * recordBytes
                    let label = Int(source[start + format.labelBytes - 1])
                    guard label < format.classCount else {
                        throw DatasetError.badLabel(file: name, record: record, label: label, classCount: format.classCount)
                    }
                    labels[record] = label
                    if format.labelBytes == 2 {
                        let superclass = Int(source[start])
                        guard superclass < format.coarseClassCount! else {
                            throw DatasetError.badLabel(file: name, record: record, label: superclass,
                                                        classCount: format.coarseClassCount!)
                        }
                        coarse![record] = superclass
                    }
                    out.baseAddress!.advanced(by: record * CIFARFormat.imageBytes)
                        .update(from: source.baseAddress!.advanced(by: start + format.labelBytes),
                                count: CIFARFormat.imageBytes)
                }
            }
        }
        return LabeledImages(pixels: pixels, labels: labels, coarseLabels: coarse)
    }

    /// Reads and concatenates `files` (paths relative to `root`), verifying each against `expected`.
    public static func read(files: [String], under root: URL, format: CIFARFormat,
                            expected: [String: Checksum]) throws -> LabeledImages {
        var parts: [LabeledImages] = []
        for file in files {
            let url = root.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw DatasetError.missingFile(file: url.path, inArchive: nil)
            }
            let data: Data
            do { data = try Data(contentsOf: url) } catch {
                throw DatasetError.unreadable(file: url.path, reason: error.localizedDescription)
            }
            if let checksum = expected[file] {
                let actual = Checksums.digest(of: data, like: checksum)
                guard actual == checksum else {
                    throw DatasetError.checksumMismatch(file: url.path, expected: checksum, actual: actual)
                }
            }
            parts.append(try parse([UInt8](data), name: url.path, format: format))
        }
        return concatenate(parts)
    }

    static func concatenate(_ parts: [LabeledImages]) -> LabeledImages {
        guard parts.count != 1 else { return parts[0] }
        let coarse: [Int]? = parts.first?.coarseLabels == nil ? nil : parts.flatMap { $0.coarseLabels! }
        return LabeledImages(pixels: parts.flatMap(\.pixels), labels: parts.flatMap(\.labels), coarseLabels: coarse)
    }
}
