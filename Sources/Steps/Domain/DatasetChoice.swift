import Datasets
import Pipeline

/// Which long-tailed training set a step means: dataset, imbalance factor, profile and selection
/// policy, read from pipeline parameters. Shared by the `dataset` step (which draws the subset)
/// and the `train` step (whose `dataset`/`imbalance`/`policy` parameters label its results and
/// must agree with its `data` input). Its JSON (in `subset.json`) holds the names as strings.
struct DatasetChoice: Codable, Equatable {
    var dataset: CIFARKind
    var imbalance: Double
    var profile: ImbalanceProfile
    var policy: SelectionPolicy

    static let parameterNames: Set<String> = ["dataset", "imbalance", "profile", "policy"]

    /// Throws when `parameters` label another setting than the one the `data` input's dataset
    /// step draws (caught when the file is loaded, not after a training), naming the first
    /// parameter that differs; parameters that do not parse are left to their own checks.
    static func requireSame(_ parameters: Parameters, asDataIn inputs: [String: [(kind: String, parameters: Parameters)]]) throws {
        for data in inputs["data"] ?? [] where data.kind == "dataset" {
            guard let mine = try? DatasetChoice(parameters), let drawn = try? DatasetChoice(data.parameters), mine != drawn else { continue }
            let key = mine.dataset != drawn.dataset ? "dataset" : mine.imbalance != drawn.imbalance ? "imbalance"
                : mine.profile != drawn.profile ? "profile" : "policy"
            throw ParameterError(key: key, problem: "says \(mine.label) but input 'data' draws \(drawn.label)")
        }
    }

    /// Reads and checks the four parameters (`profile` defaults to `exponential`, `policy` to `ldam`);
    /// an unknown name is an error naming the parameter and the names it takes.
    init(_ parameters: Parameters) throws {
        dataset = try Self.choice(try parameters.string("dataset"), key: "dataset")
        imbalance = try parameters.double("imbalance")
        profile = try Self.choice(try parameters.optional("profile", default: ImbalanceProfile.exponential.rawValue, Parameters.string),
                                  key: "profile")
        policy = try Self.choice(try parameters.optional("policy", default: SelectionPolicy.ldam.rawValue, Parameters.string),
                                 key: "policy")
        guard imbalance >= 1, imbalance.isFinite else {
            throw ParameterError(key: "imbalance", problem: "expected an imbalance factor >= 1, found \(imbalance == imbalance.rounded() && abs(imbalance) < 1e15 ? String(Int(imbalance)) : String(imbalance))")
        }
    }

    /// "cifar10-LT IF 100 (exponential, ldam)": for log lines.
    var label: String {
        let factor = imbalance == imbalance.rounded() && abs(imbalance) < 1e15 ? String(Int(imbalance)) : String(imbalance)
        return "\(dataset.rawValue)-LT IF \(factor) (\(profile.rawValue), \(policy.rawValue))"
    }

    private static func choice<T: RawRepresentable & CaseIterable>(_ value: String, key: String) throws -> T
    where T.RawValue == String {
        guard let parsed = T(rawValue: value) else {
            throw ParameterError(key: key, problem: "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), found '\(value)'")
        }
        return parsed
    }
}
