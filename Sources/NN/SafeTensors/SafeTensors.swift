import Foundation

/// Element types this module reads and writes: the ones a CIFAR ResNet checkpoint and its
/// optimiser state need (float32 weights, buffers and momenta; int64 `num_batches_tracked`).
public enum SafeTensorsDType: String, Sendable {
    case float32 = "F32"
    case int64 = "I64"

    /// Bytes per element in the little-endian data section.
    public var byteWidth: Int {
        switch self {
        case .float32: return 4
        case .int64: return 8
        }
    }
}

/// One named array of a safetensors file: a shape and its elements in row-major order.
public struct SafeTensor: Equatable, Sendable {
    /// The elements, tagged with their type.
    public enum Values: Equatable, Sendable {
        case float32([Float])
        case int64([Int64])
    }

    /// Dimensions, outermost first; `[]` is a scalar (one element), as PyTorch's 0-d tensors.
    public let shape: [Int]
    public let values: Values

    /// A float32 array; `values.count` must equal the product of `shape`.
    public init(shape: [Int], float32 values: [Float]) {
        precondition(values.count == SafeTensor.elementCount(of: shape), "\(values.count) values for shape \(shape)")
        self.shape = shape
        self.values = .float32(values)
    }

    /// An int64 array; `values.count` must equal the product of `shape`.
    public init(shape: [Int], int64 values: [Int64]) {
        precondition(values.count == SafeTensor.elementCount(of: shape), "\(values.count) values for shape \(shape)")
        self.shape = shape
        self.values = .int64(values)
    }

    public var dtype: SafeTensorsDType {
        switch values {
        case .float32: return .float32
        case .int64: return .int64
        }
    }

    /// Number of elements (1 for a scalar).
    public var elementCount: Int { SafeTensor.elementCount(of: shape) }

    static func elementCount(of shape: [Int]) -> Int {
        shape.reduce(1, *)
    }
}

/// The contents of a safetensors file: named tensors plus optional string metadata.
///
/// Format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length N,
/// N bytes of JSON `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}`
/// padded with spaces, then the raw little-endian data, offsets relative to its start.
/// Reading checks every offset and size, so a truncated or corrupted file is a `SafeTensorsError`,
/// never a crash; writing is atomic (temporary file, then rename) and byte-for-byte what the
/// reference Python/Rust writer produces for the same tensors (same order, same padding).
public struct SafeTensors: Equatable, Sendable {
    /// The tensors by name.
    public var tensors: [String: SafeTensor]
    /// Free-form string pairs stored under `__metadata__` (e.g. `"format": "pt"`).
    public var metadata: [String: String]
    /// Where these tensors came from, for error messages: the file path, or "(in memory)".
    public var source: String

    public init(tensors: [String: SafeTensor] = [:], metadata: [String: String] = [:], source: String = "(in memory)") {
        self.tensors = tensors
        self.metadata = metadata
        self.source = source
    }

    /// Tensor names in the order the format lays them out: int64 before float32 (wider
    /// alignment first), then by the UTF-8 bytes of the name — the reference writer's order.
    public var names: [String] {
        tensors.keys.sorted { left, right in
            let leftWidth = tensors[left]!.dtype.byteWidth, rightWidth = tensors[right]!.dtype.byteWidth
            if leftWidth != rightWidth { return leftWidth > rightWidth }
            return Array(left.utf8).lexicographicallyPrecedes(Array(right.utf8))
        }
    }

    /// The float32 tensor `name`, checked against `shape`; an error names the file, the tensor,
    /// and the expected and actual shape or type.
    public func float32(_ name: String, shape: [Int]) throws -> [Float] {
        let tensor = try checked(name, shape: shape, dtype: .float32)
        guard case .float32(let values) = tensor.values else { preconditionFailure("dtype checked above") }
        return values
    }

    /// The int64 tensor `name`, checked against `shape` (use `[]` for a PyTorch scalar).
    public func int64(_ name: String, shape: [Int]) throws -> [Int64] {
        let tensor = try checked(name, shape: shape, dtype: .int64)
        guard case .int64(let values) = tensor.values else { preconditionFailure("dtype checked above") }
        return values
    }

    /// Throws `unexpectedTensors` listing every tensor not in `expected` (for strict loading).
    public func requireNoTensors(besides expected: Set<String>) throws {
        let extra = tensors.keys.filter { !expected.contains($0) }.sorted()
        guard extra.isEmpty else {
            let shown = extra.prefix(10).joined(separator: ", ") + (extra.count > 10 ? ", …" : "")
            throw SafeTensorsError(.unexpectedTensors, file: source,
                                   "\(extra.count) tensor(s) not expected by the model: \(shown)")
        }
    }

    private func checked(_ name: String, shape: [Int], dtype: SafeTensorsDType) throws -> SafeTensor {
        guard let tensor = tensors[name] else {
            throw SafeTensorsError(.missingTensor, file: source, tensor: name,
                                   "missing (expected \(dtype.rawValue) with shape \(shape); the file has \(tensors.count) tensors)")
        }
        guard tensor.dtype == dtype else {
            throw SafeTensorsError(.dtypeMismatch, file: source, tensor: name,
                                   "has dtype \(tensor.dtype.rawValue), expected \(dtype.rawValue)")
        }
        guard tensor.shape == shape else {
            throw SafeTensorsError(.shapeMismatch, file: source, tensor: name,
                                   "has shape \(tensor.shape), expected \(shape)")
        }
        return tensor
    }
}
