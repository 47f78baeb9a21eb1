import Pipeline
import Reports

/// The `table` step's parameters, read by one piece of code for the step and for `bce3s report`
/// (which builds the same files from the store): `deviations` (listed under every table),
/// `note` (heads `tables.md`) and the ablation setting (`ablation_dataset`, `ablation_imbalance`;
/// default `PublishedNumbers.ablationSetting`, the paper's CIFAR-100-LT IF 100).
public struct TableParameters: Equatable {
    public static let names: Set<String> = ["deviations", "note", "ablation_dataset", "ablation_imbalance"]

    public var deviations: [String]
    public var note: String
    public var ablation: Setting

    /// Throws `ParameterError` naming the parameter of the wrong type.
    public init(_ p: Parameters) throws {
        deviations = try p.optional("deviations", default: [], Parameters.strings)
        note = try p.optional("note", default: "", Parameters.string)
        let standard = PublishedNumbers.ablationSetting
        ablation = Setting(try p.optional("ablation_dataset", default: standard.dataset, Parameters.string),
                           try p.optional("ablation_imbalance", default: standard.imbalance, Parameters.double))
    }
}
