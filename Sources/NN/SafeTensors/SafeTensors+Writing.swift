import Foundation

extension SafeTensors {
    /// The file's bytes: header in the reference writer's layout (`__metadata__` first, then the
    /// tensors in `names` order, compact JSON, space-padded to a multiple of 8), then the data.
    public func serialized() -> Data {
        var header = "{"
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(Self.jsonString($0)):\(Self.jsonString(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        let ordered = names
        var offset = 0
        for name in ordered {
            let tensor = tensors[name]!
            let end = offset + tensor.elementCount * tensor.dtype.byteWidth
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append("\(Self.jsonString(name)):{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        header += entries.joined(separator: ",") + "}"
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

    /// `text` as a JSON string literal, escaped as serde_json (the reference writer) does.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
