import Foundation

#if !_endian(little)
#error("safetensors data is little-endian; this reader copies it as host-order bytes")
#endif

extension SafeTensors {
    /// Headers larger than this are refused as corrupt (the reference reader uses the same cap).
    static let maximumHeaderBytes = 100_000_000

    /// Reads and validates a whole safetensors file.
    ///
    /// Throws `SafeTensorsError` naming the file (and tensor) when the file is unreadable,
    /// truncated, has a malformed header, or uses a dtype other than F32/I64.
    public init(contentsOf url: URL) throws {
        let file = url.path
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw SafeTensorsError(.io, file: file, "cannot be read: \(error.localizedDescription)")
        }
        try self.init(bytes: bytes, source: file)
    }

    /// Parses the bytes of a safetensors file; `source` names it in errors.
    public init(bytes: Data, source: String) throws {
        let data = Data(bytes) // rebased so that indices start at 0
        guard data.count >= 8 else {
            throw SafeTensorsError(.truncated, file: source,
                                   "is \(data.count) bytes, shorter than the 8-byte header length that starts the format")
        }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(SafeTensors.maximumHeaderBytes) else {
            throw SafeTensorsError(.badHeader, file: source,
                                   "header length \(headerLength) bytes exceeds the \(SafeTensors.maximumHeaderBytes)-byte limit (not a safetensors file?)")
        }
        guard Int(headerLength) <= data.count - 8 else {
            throw SafeTensorsError(.truncated, file: source,
                                   "header length says \(headerLength) bytes but only \(data.count - 8) follow it")
        }
        let dataStart = 8 + Int(headerLength)
        let header = try Self.parseHeader(data[8..<dataStart], source: source)
        var tensors: [String: SafeTensor] = [:]
        var metadata: [String: String] = [:]
        for (name, entry) in header {
            if name == "__metadata__" {
                guard let pairs = entry as? [String: String] else {
                    throw SafeTensorsError(.badHeader, file: source, "\"__metadata__\" is not an object of strings")
                }
                metadata = pairs
                continue
            }
            tensors[name] = try Self.readTensor(name, entry: entry, data: data, dataStart: dataStart, source: source)
        }
        self.init(tensors: tensors, metadata: metadata, source: source)
    }

    private static func parseHeader(_ bytes: Data, source: String) throws -> [String: Any] {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: bytes)
        } catch {
            throw SafeTensorsError(.badHeader, file: source, "header is not valid JSON (\(bytes.count) bytes)")
        }
        guard let object = json as? [String: Any] else {
            throw SafeTensorsError(.badHeader, file: source, "header is JSON but not an object")
        }
        return object
    }

    /// Validates one header entry and copies its bytes out of the data section.
    private static func readTensor(_ name: String, entry: Any, data: Data, dataStart: Int, source: String) throws -> SafeTensor {
        func bad(_ detail: String) -> SafeTensorsError {
            SafeTensorsError(.badHeader, file: source, tensor: name, detail)
        }
        guard let fields = entry as? [String: Any] else { throw bad("header entry is not an object") }
        guard let dtypeName = fields["dtype"] as? String else { throw bad("has no string \"dtype\"") }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw SafeTensorsError(.unsupportedDType, file: source, tensor: name,
                                   "has dtype \(dtypeName); only F32 and I64 are supported")
        }
        guard let shape = integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
            throw bad("\"shape\" is not a list of non-negative integers")
        }
        guard let offsets = integers(fields["data_offsets"]), offsets.count == 2,
              offsets[0] >= 0, offsets[0] <= offsets[1] else {
            throw bad("\"data_offsets\" is not [begin, end] with 0 ≤ begin ≤ end")
        }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw bad("shape \(shape) has too many elements") }
            count = product
        }
        let byteCount = offsets[1] - offsets[0]
        guard count.multipliedReportingOverflow(by: dtype.byteWidth) == (byteCount, false) else {
            throw bad("data_offsets \(offsets) span \(byteCount) bytes but \(dtype.rawValue) with shape \(shape) needs \(count * dtype.byteWidth)")
        }
        let available = data.count - dataStart
        guard offsets[1] <= available else {
            throw SafeTensorsError(.truncated, file: source, tensor: name,
                                   "data ends at byte \(offsets[1]) of the data section but the file has only \(available) bytes there")
        }
        let range = (dataStart + offsets[0])..<(dataStart + offsets[1])
        switch dtype {
        case .float32:
            var values = [Float](repeating: 0, count: count)
            values.withUnsafeMutableBytes { _ = data.copyBytes(to: $0, from: range) }
            return SafeTensor(shape: shape, float32: values)
        case .int64:
            var values = [Int64](repeating: 0, count: count)
            values.withUnsafeMutableBytes { _ = data.copyBytes(to: $0, from: range) }
            return SafeTensor(shape: shape, int64: values)
        }
    }

    /// `value` as a list of JSON integers, or nil if it is anything else.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let list = value as? [Any] else { return nil }
        var result: [Int] = []
        for item in list {
            guard let number = item as? NSNumber, let integer = Int(exactly: number.doubleValue) else { return nil }
            result.append(integer)
        }
        return result
    }
}
