/// A string-valued setting with a fixed set of values (precision, backbone, schedule, …) whose
/// decoding error names the value and lists the accepted ones — "unknown precision 'fp16';
/// expected one of fp32, bf16" rather than Foundation's "Cannot initialize Precision from invalid
/// String value fp16". Configurations (`set_recipe`, `set_method`, a pipeline's `precision`, a
/// stored job) decode through it; the coding path of the error names the field.
public protocol ListedChoice: RawRepresentable, CaseIterable, Codable where RawValue == String {
    /// What the setting is called in messages ("precision", "backbone").
    static var choiceName: String { get }
}

extension ListedChoice {
    public static var choiceName: String { String(describing: Self.self).lowercased() }

    /// "unknown backbone 'resnet50'; expected one of resnet32, resnet32-glmc, resnet34, small".
    public static func unknownMessage(_ text: String) -> String {
        "unknown \(choiceName) '\(text)'; expected one of \(allCases.map(\.rawValue).joined(separator: ", "))"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.unknownMessage(text))
        }
        self = value
    }
}
