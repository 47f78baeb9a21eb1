import Datasets
import Pipeline

/// Which long-tailed training set a step means: dataset, imbalance factor, profile and selection
/// policy, read from pipeline parameters. Shared by the `dataset` step (which draws the subset)
/// and the `train` step (whose `dataset`/`imbalance`/`policy` parameters label its results and
/// must agree with its `data` input).
struct DatasetChoice: Codable, Equatable {
    var dataset: String
    var imbalance: Double
    var profile: String
    var policy: String

    static let parameterNames: Set<String> = ["dataset", "imbalance", "profile", "policy"]

    /// Reads and checks the four parameters (`profile` defaults to `exponential`, `policy` to `ldam`).
    init(_ parameters: Parameters) throws {
        dataset = try parameters.string("dataset")
        imbalance = try parameters.double("imbalance")
        profile = try parameters.optional("profile", default: ImbalanceProfile.exponential.rawValue, Parameters.string)
        policy = try parameters.optional("policy", default: SelectionPolicy.ldam.rawValue, Parameters.string)
        _ = try kind
        _ = try imbalanceProfile
        _ = try selectionPolicy
        guard imbalance >= 1, imbalance.isFinite else {
            throw ParameterError(key: "imbalance", problem: "expected an imbalance factor >= 1, found \(imbalance)")
        }
    }

    var kind: CIFARKind {
        get throws { try Self.choice(dataset, key: "dataset", CIFARKind.self) }
    }

    var imbalanceProfile: ImbalanceProfile {
        get throws { try Self.choice(profile, key: "profile", ImbalanceProfile.self) }
    }

    var selectionPolicy: SelectionPolicy {
        get throws { try Self.choice(policy, key: "policy", SelectionPolicy.self) }
    }

    /// "cifar10-LT IF 100 (exponential, ldam)": for log lines.
    var label: String {
        let factor = imbalance == imbalance.rounded() && abs(imbalance) < 1e15 ? String(Int(imbalance)) : String(imbalance)
        return "\(dataset)-LT IF \(factor) (\(profile), \(policy))"
    }

    private static func choice<T: RawRepresentable & CaseIterable>(_ value: String, key: String, _: T.Type) throws -> T
    where T.RawValue == String {
        guard let parsed = T(rawValue: value) else {
            throw ParameterError(key: key, problem: "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), found '\(value)'")
        }
        return parsed
    }
}
