import CanonicalJSON
import Foundation

extension SafeTensors {
    /// The file's bytes: header in the reference writer's layout (`__metadata__` first, then the
    /// tensors in `names` order, compact JSON, space-padded to a multiple of 8), then the data.
    public func serialized() -> Data {
        var members: [JSONValue.Member] = []
        if !metadata.isEmpty {
            members.append(.init("__metadata__", .sortedObject(metadata.mapValues(JSONValue.string))))
        }
        let ordered = names
        var offset = 0
        for name in ordered {
            let tensor = tensors[name]!
            let end = offset + tensor.elementCount * tensor.dtype.byteWidth
            members.append(.init(name, .object([
                .init("dtype", .string(tensor.dtype.rawValue)),
                .init("shape", .array(tensor.shape.map(JSONValue.integer))),
                .init("data_offsets", .array([.integer(offset), .integer(end)])),
            ])))
            offset = end
        }
        let header = JSONValue.object(members).text
        var headerBytes = Array(header.utf8)
        headerBytes += [UInt8](repeating: UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8)

        var data = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: headerBytes)
        for name in ordered {
            switch tensors[name]!.values {
            case .float32(let values): values.withUnsafeBytes { data.append(contentsOf: $0) }
            case .int64(let values): values.withUnsafeBytes { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    /// Writes the file atomically: the bytes go to a temporary file beside `url` that is then
    /// renamed over it, so a crash or full disk never leaves a half-written checkpoint.
    public func write(to url: URL) throws {
        do {
            try serialized().write(to: url, options: .atomic)
        } catch {
            throw SafeTensorsError(.io, file: url.path, "cannot be written: \(error.localizedDescription)")
        }
    }
}
