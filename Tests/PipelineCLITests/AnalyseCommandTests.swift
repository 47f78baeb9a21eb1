import Foundation
import XCTest

/// `bce3s analyse …` end to end through the built binary, on small hand-written .npy files.
final class AnalyseCommandTests: CLITestCase {
    /// A NumPy 1.0 file: 128-byte header (as np.save writes for small arrays) and little-endian data.
    func writeNPY(_ name: String, descr: String, shape: [Int], payload: Data) throws {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        header += String(repeating: " ", count: 128 - 10 - header.count - 1) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xff), UInt8(header.count >> 8)])
        data.append(Data(header.utf8))
        data.append(payload)
        try data.write(to: directory.appendingPathComponent(name))
    }

    func floats(_ values: [Float]) -> Data { values.withUnsafeBufferPointer { Data(buffer: $0) } }
    func ints(_ values: [Int64]) -> Data { values.withUnsafeBufferPointer { Data(buffer: $0) } }

    func testTSNEWritesCoordinatesAndReportsKL() throws {
        // Three tight blobs of 20 points in 5-D.
        var points: [Float] = []
        for i in 0..<60 {
            for j in 0..<5 {
                let centre: Float = j == i / 20 ? 10 : 0
                points.append(centre + Float((i * 7 + j * 3) % 11) * 0.01)
            }
        }
        try writeNPY("X.npy", descr: "<f4", shape: [60, 5], payload: floats(points))
        let output = try bce3s("analyse", "tsne", "--in", "X.npy", "--out", "Y.npy", "--perplexity", "5", "--iterations", "50", "--json")
        XCTAssertEqual(output.status, 0, output.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        XCTAssertGreaterThan(try XCTUnwrap(json["kl_divergence"] as? Double), 0)
        XCTAssertEqual(json["n"] as? Int, 60)
        let written = try Data(contentsOf: directory.appendingPathComponent("Y.npy"))
        XCTAssertEqual(written.count, 128 + 60 * 2 * 4)
        XCTAssertTrue(String(decoding: written.prefix(128), as: UTF8.self).contains("'shape': (60, 2)"))
    }

    func testTSNERejectsIntegerInputNamingFileAndField() throws {
        try writeNPY("labels.npy", descr: "<i8", shape: [3], payload: ints([0, 1, 2]))
        let output = try bce3s("analyse", "tsne", "--in", "labels.npy", "--out", "Y.npy")
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("labels.npy") && output.stderr.contains("'descr'"), output.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("Y.npy").path))
    }

    /// The two-class example of FeatureGeometryTests: Fisher ratio 2.5, NC1 0.16.
    func testGeometryPrintsMetrics() throws {
        try writeNPY("f.npy", descr: "<f4", shape: [4, 2], payload: floats([1, 0, 0, 1, -1, -1, -3, -3]))
        try writeNPY("y.npy", descr: "<i8", shape: [4], payload: ints([0, 0, 1, 1]))
        let output = try bce3s("analyse", "geometry", "--features", "f.npy", "--labels", "y.npy", "--json")
        XCTAssertEqual(output.status, 0, output.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(json["fisher_ratio"] as? Double), 2.5, accuracy: 1e-5)
        XCTAssertEqual(try XCTUnwrap(json["nc1"] as? Double), 0.16, accuracy: 1e-5)
        XCTAssertNotNil(json["compactness_mean_few"])
    }
}
