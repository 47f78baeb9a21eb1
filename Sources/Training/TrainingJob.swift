import Foundation
import Methods
import Datasets

/// Everything that decides what a run computes (apart from the data): method, recipe, seed and
/// the shot-group thresholds. Stored in every checkpoint; a work directory resumes only the same job.
public struct TrainingJob: Codable, Equatable, Sendable {
    /// The preset the method came from (for reports); `method` holds the effective fields.
    public var methodName: String
    public var method: MethodSpec
    public var recipe: Recipe
    public var seed: UInt64
    /// Shot groups: Many if n > `manyAbove`, Few if n < `fewBelow` (METHOD.md §1).
    public var manyAbove = 100
    public var fewBelow = 20

    public init(methodName: String, method: MethodSpec, recipe: Recipe, seed: UInt64) {
        self.methodName = methodName
        self.method = method
        self.recipe = recipe
        self.seed = seed
    }

    /// The job from preset names and `key=value` overrides (errors name the field).
    public static func make(method: String, methodOverrides: [String] = [], recipe: String, recipeOverrides: [String] = [],
                            seed: UInt64) throws -> TrainingJob {
        let spec = try ConfigOverrides.apply(ConfigOverrides.parse(methodOverrides, source: "method \(method)"),
                                             to: MethodSpec.named(method), source: "method \(method)")
        var plan = try ConfigOverrides.apply(ConfigOverrides.parse(recipeOverrides, source: "recipe \(recipe)"),
                                             to: Recipe.named(recipe), source: "recipe \(recipe)")
        plan.normalize()
        if plan.stage2Epochs == 0, let unused = recipeOverrides.map({ String($0.prefix { $0 != "=" }) }).first(where: { $0.hasPrefix("stage2_") && $0 != "stage2_epochs" }) {
            // It would change no weight, yet make the run a condition of its own in tables and ledgers.
            throw ConfigError(source: "recipe \(recipe)", field: unused,
                              message: "sets stage 2, but this job has no stage 2 (stage2_epochs is 0); remove it, or give stage2_epochs")
        }
        if let (field, reason) = methodOverrides.map({ String($0.prefix { $0 != "=" }) })
            .lazy.compactMap({ field in spec.unreadReason(of: field).map { (field, $0) } }).first {
            throw ConfigError(source: "method \(method)", field: field,
                              message: "changes nothing in this job (\(reason)); remove it, or turn that part on too")
        }
        let job = TrainingJob(methodName: method, method: spec, recipe: plan, seed: seed)
        try job.validate()
        return job
    }

    public func validate() throws {
        try method.validate()
        try recipe.validate()
        if recipe.stage2Epochs > 0 && method.head != .normalized {
            throw ConfigError(source: "recipe", field: "stage2_epochs",
                              message: "stage 2 re-balances the normalised classifier; method \(methodName) uses the \(method.head.rawValue) head")
        }
        if fewBelow > manyAbove + 1 {
            throw ConfigError(source: "job", field: "few_below", message: "Few threshold \(fewBelow) above Many threshold \(manyAbove)")
        }
    }

    public var shotRule: ShotGroupRule { ShotGroupRule(manyAbove: manyAbove, fewBelow: fewBelow) }

    /// Canonical JSON (sorted keys, snake_case), the identity a checkpoint is checked against.
    /// Foundation's `JSONEncoder` writes it (every stored checkpoint holds its bytes, so they must
    /// not change); a non-finite number in the job is an `EncodingError` naming the field.
    public func canonicalJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
