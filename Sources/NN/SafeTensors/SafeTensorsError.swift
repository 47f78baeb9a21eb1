/// Why a safetensors file could not be read, written or matched against what the caller expects.
///
/// Every error names the file and, where one is involved, the tensor; the description also says
/// what was expected and what was found, so a user can act on it without a debugger.
public struct SafeTensorsError: Error, Equatable, CustomStringConvertible {
    /// The class of failure, for callers (and tests) that branch on it.
    public enum Kind: Equatable, Sendable {
        /// The file ends before its header or before the data its header promises.
        case truncated
        /// The header is not the JSON object the format prescribes, or an entry is malformed.
        case badHeader
        /// A tensor uses a dtype this module does not read (only F32 and I64 are supported).
        case unsupportedDType
        /// The caller asked for a tensor the file does not contain.
        case missingTensor
        /// The tensor exists but its shape differs from the expected one.
        case shapeMismatch
        /// The tensor exists but holds a different element type than requested.
        case dtypeMismatch
        /// The file holds tensors the caller did not ask for (strict loading).
        case unexpectedTensors
        /// The data handed to the writer is inconsistent (element count vs. shape, duplicate name).
        case invalidTensor
        /// The operating system refused to read or write the file.
        case io
    }

    public let kind: Kind
    /// The file path as the caller gave it.
    public let file: String
    /// The tensor concerned, when there is one.
    public let tensor: String?
    /// What was expected and what was found.
    public let detail: String

    public init(_ kind: Kind, file: String, tensor: String? = nil, _ detail: String) {
        self.kind = kind
        self.file = file
        self.tensor = tensor
        self.detail = detail
    }

    public var description: String {
        if let tensor {
            return "\(file): tensor '\(tensor)': \(detail)"
        }
        return "\(file): \(detail)"
    }
}
