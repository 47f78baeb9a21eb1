import Foundation
import XCTest
@testable import NN

/// The reference file `Fixtures/safetensors_reference.safetensors` and its format-independent
/// description `Fixtures/safetensors_reference.json` were written by
/// `Fixtures/make_safetensors_fixture.py` with the reference writer (`safetensors.torch.save_file`).
final class SafeTensorsTests: XCTestCase {
    private let fixture = FixtureFiles.url("safetensors_reference.safetensors")

    func testReadsEveryTensorOfTheReferenceWriterBitForBit() throws {
        let file = try SafeTensors(contentsOf: fixture)
        let expected = try XCTUnwrap(FixtureFiles.json("safetensors_reference.json") as? [String: [String: Any]])
        XCTAssertEqual(file.metadata, ["format": "pt"])
        XCTAssertEqual(Set(file.tensors.keys), Set(expected.keys))
        for (name, description) in expected {
            let shape = try XCTUnwrap(description["shape"] as? [Int])
            let elements = try XCTUnwrap(description["elements"] as? [NSNumber])
            switch description["dtype"] as? String {
            case "F32":
                let bits = try file.float32(name, shape: shape).map(\.bitPattern)
                XCTAssertEqual(bits, elements.map(\.uint32Value), name)
            case "I64":
                XCTAssertEqual(try file.int64(name, shape: shape), elements.map(\.int64Value), name)
            default:
                XCTFail("fixture describes an unknown dtype for \(name)")
            }
        }
    }

    /// Set BCE3S_NN_TEST_OUTPUT to a directory to keep the Swift-written copy, then check it in
    /// PyTorch: `python3 make_safetensors_fixture.py --check $BCE3S_NN_TEST_OUTPUT/swift_written.safetensors`.
    func testRewritingTheReferenceFileReproducesItByteForByte() throws {
        let original = try Data(contentsOf: fixture)
        let rewritten = try SafeTensors(contentsOf: fixture)
        XCTAssertEqual(rewritten.serialized(), original)
        if let directory = ProcessInfo.processInfo.environment["BCE3S_NN_TEST_OUTPUT"] {
            try rewritten.write(to: URL(fileURLWithPath: directory).appendingPathComponent("swift_written.safetensors"))
        }
    }

    func testRoundTripThroughDiskKeepsValuesShapesAndMetadata() throws {
        let directory = try FixtureFiles.temporaryDirectory(for: self)
        let url = directory.appendingPathComponent("model.safetensors")
        let written = SafeTensors(tensors: [
            "layer1.0.conv1.weight": SafeTensor(shape: [4, 1, 3, 1], float32: (0..<12).map { Float($0) * 0.1 - 0.55 }),
            "bn1.num_batches_tracked": SafeTensor(shape: [], int64: [7]),
            "odd": SafeTensor(shape: [3], float32: [.nan, -0.0, .infinity]),
        ], metadata: ["epoch": "12", "format": "pt"])
        try written.write(to: url)
        let read = try SafeTensors(contentsOf: url)
        XCTAssertEqual(read.metadata, written.metadata)
        XCTAssertEqual(read.source, url.path)
        XCTAssertEqual(try read.float32("layer1.0.conv1.weight", shape: [4, 1, 3, 1]),
                       try written.float32("layer1.0.conv1.weight", shape: [4, 1, 3, 1]))
        XCTAssertEqual(try read.float32("odd", shape: [3]).map(\.bitPattern), [Float.nan, -0.0, .infinity].map(\.bitPattern))
        XCTAssertEqual(try read.int64("bn1.num_batches_tracked", shape: []), [7])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["model.safetensors"],
                       "the atomic write must leave no temporary file behind")
    }

    func testRewritingAFileReplacesItWhole() throws {
        let url = try FixtureFiles.temporaryDirectory(for: self).appendingPathComponent("state.safetensors")
        try SafeTensors(tensors: ["a": SafeTensor(shape: [1000], float32: .init(repeating: 1, count: 1000))]).write(to: url)
        try SafeTensors(tensors: ["b": SafeTensor(shape: [1], int64: [2])]).write(to: url)
        let read = try SafeTensors(contentsOf: url)
        XCTAssertEqual(Array(read.tensors.keys), ["b"])
    }

    func testEveryTruncationIsATruncatedErrorNamingTheFile() throws {
        let bytes = try Data(contentsOf: fixture)
        for length in [0, 5, 8, 100, bytes.count - 1] {
            let error = try expectError { _ = try SafeTensors(bytes: bytes.prefix(length), source: "cut.safetensors") }
            XCTAssertEqual(error.kind, .truncated, "cut at \(length): \(error)")
            XCTAssertTrue(error.description.hasPrefix("cut.safetensors: "), error.description)
        }
        let lastByteMissing = try expectError { _ = try SafeTensors(bytes: bytes.dropLast(), source: "cut") }
        XCTAssertEqual(lastByteMissing.tensor, "special", "the last tensor in the data section is the one cut short")
    }

    func testMalformedHeadersAreBadHeaderErrors() throws {
        let cases: [(header: String, kind: SafeTensorsError.Kind, tensor: String?)] = [
            ("{not json", .badHeader, nil),
            ("[1, 2]", .badHeader, nil),
            (#"{"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}"#, .badHeader, "w"),
            (#"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}"#, .badHeader, "w"),
            (#"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}}"#, .badHeader, "w"),
            (#"{"w": {"shape": [1], "data_offsets": [0, 4]}}"#, .badHeader, "w"),
            (#"{"w": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}}"#, .unsupportedDType, "w"),
            (#"{"__metadata__": {"epoch": 3}}"#, .badHeader, nil),
            (#"{"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}"#, .truncated, "w"),
        ]
        for (header, kind, tensor) in cases {
            var bytes = Data()
            withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: Array(header.utf8) + [0, 0, 0, 0])
            let error = try expectError { _ = try SafeTensors(bytes: bytes, source: "bad.safetensors") }
            XCTAssertEqual(error.kind, kind, "\(header): \(error)")
            XCTAssertEqual(error.tensor, tensor, header)
        }
        var absurd = Data(repeating: 0xFF, count: 8)
        absurd.append(contentsOf: [0x7B, 0x7D])
        XCTAssertEqual(try expectError { _ = try SafeTensors(bytes: absurd, source: "x") }.kind, .badHeader)
    }

    func testMissingMismatchedAndUnexpectedTensorsNameFileTensorAndShapes() throws {
        let file = try SafeTensors(contentsOf: fixture)
        let missing = try expectError { _ = try file.float32("layer9.weight", shape: [3]) }
        XCTAssertEqual(missing.kind, .missingTensor)
        XCTAssertEqual(missing.tensor, "layer9.weight")
        XCTAssertTrue(missing.description.contains(fixture.path), missing.description)

        let shape = try expectError { _ = try file.float32("conv1.weight", shape: [2, 3, 3]) }
        XCTAssertEqual(shape.kind, .shapeMismatch)
        XCTAssertTrue(shape.description.contains("has shape [2, 3, 3, 3], expected [2, 3, 3]"), shape.description)

        let dtype = try expectError { _ = try file.int64("conv1.weight", shape: [2, 3, 3, 3]) }
        XCTAssertEqual(dtype.kind, .dtypeMismatch)
        XCTAssertTrue(dtype.description.contains("has dtype F32, expected I64"), dtype.description)

        let extra = try expectError { try file.requireNoTensors(besides: ["conv1.weight", "special"]) }
        XCTAssertEqual(extra.kind, .unexpectedTensors)
        XCTAssertTrue(extra.description.contains("6 tensor(s)") && extra.description.contains("linear.bias"), extra.description)
        XCTAssertNoThrow(try file.requireNoTensors(besides: Set(file.tensors.keys)))
    }

    func testUnreadableAndUnwritablePathsAreIOErrors() throws {
        let nowhere = URL(fileURLWithPath: "/nonexistent-bce3s-directory/model.safetensors")
        XCTAssertEqual(try expectError { _ = try SafeTensors(contentsOf: nowhere) }.kind, .io)
        let error = try expectError { _ = try SafeTensors().write(to: nowhere) }
        XCTAssertEqual(error.kind, .io)
        XCTAssertEqual(error.file, nowhere.path)
    }

    /// Awkward names and metadata: the header is what Python's
    /// `json.dumps(header, separators=(",", ":"), ensure_ascii=False)` writes (serde_json, the
    /// reference writer, escapes the same way), and the file reads back unchanged.
    func testHeaderEscapesAsTheReferenceWriterAndReadsBack() throws {
        let name = "a\"b\\c/é\n\u{01}"
        let file = SafeTensors(tensors: [name: SafeTensor(shape: [1], float32: [1.5])],
                               metadata: ["note": "\u{08}\u{0C}\u{7F}", "job": #"{"seed":0}"#])
        let bytes = file.serialized()
        let length = Int(bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian)
        let header = String(decoding: bytes.dropFirst(8).prefix(length), as: UTF8.self)
        let python = #"{"__metadata__":{"job":"{\"seed\":0}","note":"\b\f"# + "\u{7F}"
            + #""},"a\"b\\c/é\n\u0001":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        XCTAssertEqual(header.trimmingCharacters(in: .whitespaces), python)
        XCTAssertEqual(length % 8, 0)
        let directory = try FixtureFiles.temporaryDirectory(for: self)
        let url = directory.appendingPathComponent("awkward.safetensors")
        try file.write(to: url)
        let read = try SafeTensors(contentsOf: url)
        XCTAssertEqual(read.metadata, file.metadata)
        XCTAssertEqual(read.tensors, file.tensors)
    }

    private func expectError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) throws -> SafeTensorsError {
        do {
            try body()
        } catch let error as SafeTensorsError {
            return error
        }
        XCTFail("expected a SafeTensorsError", file: file, line: line)
        throw SafeTensorsError(.io, file: "-", "no error thrown")
    }
}
