import Foundation
import Datasets
import Methods
import Pipeline
import Tensor
import Training

/// `train`: trains one model with `Trainer.run` — the same code as `bce3s train` — on the subset
/// drawn by its `data` input (a `dataset` step). Checkpoints live in the step's work directory,
/// so after `kill -9` a rerun resumes from the last finished epoch. Artifacts: `model.safetensors`
/// (PyTorch names) and `result.json` (without timings or machine paths, so a bit-identical
/// retraining leaves its dependents cached); metrics and timings in `TrainMetrics`.
///
/// `dataset`, `imbalance` and `policy` label the results (the store's `train_result` view reads
/// them from the parameters) and must agree with the `data` input's subset.
struct TrainStep: StepKind {
    let name = "train"
    /// 2: CE / Focal / Balanced Softmax heads start Kaiming-normal, as LDAM-DRW's (was U(±1/√d)).
    let version = 2
    let resources = StepResources.heavy

    static let jobParameters: Set<String> = ["method", "recipe", "model", "epochs", "stage2_epochs", "seed",
                                            "set_recipe", "set_method", "many_above", "few_below", "threads", "precision"]

    func validate(parameters: Parameters, inputNames: [String]) throws {
        try parameters.requireOnly(Self.jobParameters.union(DatasetChoice.parameterNames))
        _ = try DatasetChoice(parameters)
        _ = try Self.job(parameters)
        guard try Self.threads(parameters) >= 1 else { throw ParameterError(key: "threads", problem: "expected >= 1") }
        guard inputNames == ["data"] else {
            throw StepInputError("'train' takes exactly one input, 'data' (a dataset step); found \(inputNames)")
        }
    }

    func validate(parameters: Parameters, inputs: [String: [(kind: String, parameters: Parameters)]]) throws {
        try InputKinds.require(["data": "dataset"], in: inputs)
        try InputKinds.requireSingle(["data"], in: inputs)
        try DatasetChoice.requireSame(parameters, asDataIn: inputs)
    }

    func run(_ context: StepContext) throws -> StepResult {
        let job = try Self.job(context.parameters)
        let data = try TrainingInputs.load(context, expected: try DatasetChoice(context.parameters))
        context.log("training \(job.methodName) (\(job.recipe.model.rawValue), \(job.recipe.convolutionPrecision.rawValue), "
                    + "\(job.recipe.epochs) + \(job.recipe.stage2Epochs) epochs, "
                    + "seed \(job.seed)) on \(data.train.count) images")
        let trainerDirectory = Self.trainerDirectory(in: context.workDirectory)
        guard let result = try Trainer.run(job, data: data, workDirectory: trainerDirectory,
                                                  threads: try Self.threads(context.parameters), progress: StepLogProgress(context))
        else { throw StepInputError("training stopped before its last epoch") }
        try FileManager.default.copyItem(at: trainerDirectory.appendingPathComponent("model.safetensors"),
                                         to: context.outputDirectory.appendingPathComponent("model.safetensors"))
        try result.writeReproducible(in: context.outputDirectory)
        context.log(String(format: "final epoch: top-1 %.2f%% (flip %.2f%%)", 100 * result.evaluation.top1,
                           100 * (result.evaluation.top1Flip ?? .nan)))
        return StepResult(metrics: TrainMetrics.metrics(of: result), timings: TrainMetrics.timings(of: result))
    }

    /// Where `Trainer.run` keeps its checkpoint inside the step's work directory.
    static func trainerDirectory(in workDirectory: URL) -> URL { workDirectory.appendingPathComponent("trainer") }

    /// The checkpoint's epochs and last test accuracy, or why it cannot be read.
    func progress(workDirectory: URL) -> String? {
        do {
            return try ResumePoint.saved(in: Self.trainerDirectory(in: workDirectory))?.summary
        } catch {
            return "checkpoint unreadable: \(error)"
        }
    }

    /// One line per epoch the checkpoint has finished (`ResumePoint.historyLines`); empty when
    /// there is no readable checkpoint (`progress` says why).
    func progressHistory(workDirectory: URL) -> [String] {
        (try? ResumePoint.saved(in: Self.trainerDirectory(in: workDirectory)))?.historyLines ?? []
    }

    /// The training job from the parameters: `method` (required; a preset, with `+stage2` when
    /// `stage2_epochs` > 0), `recipe` (default `ldam`),
    /// shorthands `model`, `epochs`, `stage2_epochs`, free overrides `set_recipe` / `set_method`
    /// (mappings of snake_case field → value), `seed`, shot-group thresholds.
    static func job(_ p: Parameters) throws -> TrainingJob {
        let label = try p.string("method")
        let method = label.hasSuffix(stage2Suffix) ? String(label.dropLast(stage2Suffix.count)) : label
        guard MethodSpec.presetNames.contains(method) else {
            let labels = MethodSpec.presetNames.flatMap { [$0, $0 + stage2Suffix] }
            throw ParameterError(key: "method", problem: "unknown method '\(label)'\(NearestName.hint(for: label, among: labels)); "
                                 + "expected one of \(MethodSpec.presetNames.joined(separator: ", ")), followed by "
                                 + "'\(stage2Suffix)' when stage2_epochs > 0")
        }
        let recipe = try p.optional("recipe", default: "ldam", Parameters.string)
        guard Recipe.presetNames.contains(recipe) else {
            throw ParameterError(key: "recipe", problem: "unknown recipe '\(recipe)'\(NearestName.hint(for: recipe, among: Recipe.presetNames)); "
                                 + "expected one of \(Recipe.presetNames.joined(separator: ", "))")
        }
        var recipeSets = try overrides(p, "set_recipe")
        if case .map(let entries)? = p["set_recipe"],
           let both = ["model", "epochs", "stage2_epochs", "precision"].first(where: { p[$0] != nil && entries[$0] != nil }) {
            let (direct, mapped) = (try p[both]!.display, try entries[both]!.display)
            throw ParameterError(key: both, problem: "\(both): \(direct) and set_recipe: {\(both): \(mapped)} both set the "
                                 + "recipe's '\(both)'; give one of them")
        }
        if p["model"] != nil { recipeSets.append("model=\(try p.string("model"))") }
        if p["epochs"] != nil { recipeSets.append("epochs=\(try p.int("epochs"))") }
        if p["stage2_epochs"] != nil { recipeSets.append("stage2_epochs=\(try p.int("stage2_epochs"))") }
        if p["precision"] != nil { recipeSets.append("precision=\(try p.string("precision"))") }
        let seed = try p.optional("seed", default: 0, Parameters.int)
        guard seed >= 0 else { throw ParameterError(key: "seed", problem: "expected a seed >= 0, found \(seed)") }
        do {
            var job = try TrainingJob.make(method: method, methodOverrides: try overrides(p, "set_method"),
                                           recipe: recipe, recipeOverrides: recipeSets, seed: UInt64(seed))
            job.manyAbove = try p.optional("many_above", default: 100, Parameters.int)
            job.fewBelow = try p.optional("few_below", default: 20, Parameters.int)
            try job.validate()
            guard (job.recipe.stage2Epochs > 0) == label.hasSuffix(stage2Suffix) else {
                throw ParameterError(key: "method", problem: job.recipe.stage2Epochs > 0
                    ? "with stage 2 the method is called '\(method)\(stage2Suffix)', so tables tell it apart from '\(method)'"
                    : "'\(label)' needs stage2_epochs > 0")
            }
            return job
        } catch let error as ParameterError {
            throw error
        } catch let error as ConfigError {
            throw ParameterError(key: parameterKey(of: error, in: p), problem: "\(error)")
        } catch {
            throw ParameterError(key: "method/recipe", problem: "\(error)")
        }
    }

    /// The pipeline parameter a configuration error comes from, so the message points at it: the
    /// shorthand (`epochs`, `stage2_epochs`, `model`, `many_above`, `few_below`) when it was given,
    /// else the override mapping (`set_recipe`, `set_method`) or the preset (`recipe`, `method`).
    private static func parameterKey(of error: ConfigError, in p: Parameters) -> String {
        if p[error.field] != nil { return error.field }
        // Sources read "recipe", or "recipe ldam" for a preset's field.
        switch error.source.prefix(while: { $0 != " " }) {
        case "recipe": return p["set_recipe"] != nil ? "set_recipe" : "recipe"
        case "method": return p["set_method"] != nil ? "set_method" : "method"
        default: return error.field
        }
    }

    /// `bce3s+stage2`: the preset `bce3s` followed by stage 2; the suffix keeps the two apart in tables.
    static let stage2Suffix = "+stage2"

    static func threads(_ p: Parameters) throws -> Int { try p.optional("threads", default: 2, Parameters.int) }

    /// The `threads` parameter (default 2): the CPUs its Slurm job asks for.
    func threads(_ parameters: Parameters) -> Int { (try? Self.threads(parameters)) ?? 2 }

    /// `set_recipe: {lr: 0.05}` → `["lr=0.05"]`.
    private static func overrides(_ p: Parameters, _ key: String) throws -> [String] {
        guard let value = p[key] else { return [] }
        guard case .map(let entries) = value else {
            throw ParameterError(key: key, problem: "expected a mapping of field: value, found \(value.typeName)")
        }
        return try entries.keys.sorted().map { "\($0)=\(try entries[$0]!.display)" }
    }
}
