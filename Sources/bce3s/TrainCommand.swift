import ArgumentParser
import Datasets
import Foundation
import Methods
import NN
import Tensor
import Training

/// `bce3s train`: trains one model outside any pipeline (the pipeline's train step runs the
/// same `Trainer.run`) and prints its test accuracy.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train and evaluate one long-tailed CIFAR model (resumable work directory).",
        discussion: """
        Methods (--method):
        \(HelpList.format(MethodSpec.presets.map { ($0.name, $0.summary) }))

        Recipes (--recipe):
        \(HelpList.format(Recipe.presets.map { ($0.name, $0.summary) }))

        Override any field with --set-recipe key=value or --set-method key=value (snake_case, e.g. stage2_epochs=10, negative_ratio=1), each field once and not also through its own option (--model, --epochs, --precision).

        Output: accuracies in percent on the balanced test set for the final-epoch model, without and with (…_flip) flip averaging. best_on_test_extra (JSON; the store's metric best_on_test_top1_extra) is test-set selection, a labelled extra only. The same command again resumes from the last finished epoch in --out, or prints the stored result.
        """)

    @Option(help: "cifar10 or cifar100") var dataset: CIFARKind
    @OptionGroup var location: DataLocationOptions
    @Option(parsing: .unconditional, help: "Imbalance factor IF = n_max / n_min.") var imbalance: Double = 100
    @Option(help: "exponential or step") var profile: ImbalanceProfile = .exponential
    @Option(help: "ldam (NumPy seed-0 shuffle) or first (file order)") var policy: SelectionPolicy = .ldam
    @Option(help: "Backbone (default: the recipe's).") var model: Backbone?
    @Option(help: "Recipe preset: \(Recipe.presetNames.joined(separator: " or ")).") var recipe: String = "ldam"
    @Option(help: "Method preset (listed above, under Methods).") var method: String = "ce"
    @Option(parsing: .unconditional, help: "Number of stage-1 epochs (default: the recipe's).") var epochs: Int?
    @Option(help: "Convolution arithmetic: fp32 or bf16 (bfloat16 operands, float32 accumulation; weights, optimiser, batch norm and losses float32). Default: fp32.")
    var precision: Precision?
    @Option(parsing: .unconditional, help: "Seed of initialisation, loader order, augmentation and mixing.") var seed: UInt64 = 0
    @Option(name: .customLong("set-recipe"), help: "Override a recipe field, key=value (repeatable).") var recipeOverrides: [String] = []
    @Option(name: .customLong("set-method"), help: "Override a method field, key=value (repeatable).") var methodOverrides: [String] = []
    @Option(parsing: .unconditional, help: "Shot groups: Many if n > this.") var manyAbove: Int = 100
    @Option(parsing: .unconditional, help: "Shot groups: Few if n < this (21 puts exactly 20 in Few, as the BCE3S code).") var fewBelow: Int = 20
    @Option(parsing: .unconditional, help: "Compute threads (results are bit-identical for a seed and thread count).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Work directory: checkpoints, final weights, result.json.") var out: String
    @Flag(help: "Print the result as JSON on standard output.") var json = false

    func validate() throws {
        guard imbalance.isFinite, imbalance >= 1 else {
            throw ValidationError("--imbalance must be a finite number ≥ 1 (got \(imbalance))")
        }
        guard threads >= 1 else { throw ValidationError("--threads must be ≥ 1 (got \(threads))") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be ≥ 1 (got \(epochs))") }
        try refuseTwoSettings()
    }

    /// The recipe fields this command's own options set, as `--set-recipe` entries.
    var optionSettings: [(option: String, field: String, value: String)] {
        [model.map { ("--model", "model", $0.rawValue) }, epochs.map { ("--epochs", "epochs", String($0)) },
         precision.map { ("--precision", "precision", $0.rawValue) }].compactMap { $0 }
    }

    /// `--epochs 7 --set-recipe epochs=5`, or `--set-recipe epochs=2 --set-recipe epochs=1`, names
    /// one field twice: refused, since either reading would surprise someone.
    func refuseTwoSettings() throws {
        func key(_ entry: String) -> String { entry.split(separator: "=", maxSplits: 1).first.map(String.init) ?? entry }
        for entry in recipeOverrides {
            if let setting = optionSettings.first(where: { $0.field == key(entry) }) {
                throw ValidationError("\(setting.option) \(setting.value) and --set-recipe \(entry) both set the recipe's "
                                      + "'\(key(entry))'; give one of them")
            }
        }
        for (option, entries) in [("--set-recipe", recipeOverrides), ("--set-method", methodOverrides)] {
            for (index, entry) in entries.enumerated() {
                if let earlier = entries[..<index].first(where: { key($0) == key(entry) }) {
                    throw ValidationError("\(option) \(earlier) and \(option) \(entry) both set '\(key(entry))'; give one of them")
                }
            }
        }
    }

    func run() throws {
        let recipeSets = optionSettings.map { "\($0.field)=\($0.value)" } + recipeOverrides
        var job: TrainingJob
        do {
            job = try TrainingJob.make(method: method, methodOverrides: methodOverrides, recipe: recipe,
                                       recipeOverrides: recipeSets, seed: seed)
            (job.manyAbove, job.fewBelow) = (manyAbove, fewBelow)
            try job.validate()
        } catch let error as ConfigError {
            throw ValidationError(error.description)
        }
        let data = try TrainingData.longTail(try location.fetcher().load(dataset), imbalance: imbalance, profile: profile, policy: policy)
        printToStandardError("\(job.methodName) on \(job.recipe.model.rawValue), \(job.recipe.convolutionPrecision.rawValue) convolutions, "
                             + "\(job.recipe.epochs) + \(job.recipe.stage2Epochs) epochs, seed \(job.seed)")
        printToStandardError("\(dataset.rawValue)-LT IF \(imbalance): \(data.train.count) training images, counts "
                             + data.classCounts.map(String.init).joined(separator: " "))
        guard let result = try Trainer.run(job, data: data, workDirectory: URL(fileURLWithPath: out), threads: threads,
                                            progress: ConsoleProgress())
        else { return }
        print(try json ? Self.json(result) : Self.summary(result))
    }

    static func summary(_ r: TrainingResult) -> String {
        let e = r.evaluation
        func pct(_ x: Double?) -> String { x.map { String(format: "%.2f", 100 * $0) } ?? "–" }
        return """
        final epoch: top-1 \(pct(e.top1)) (flip \(pct(e.top1Flip))), many \(pct(e.many)) / medium \(pct(e.medium)) / few \(pct(e.few))
        training \(String(format: "%.1f", r.seconds)) s (\(String(format: "%.1f", r.secondsPerEpoch)) s/epoch); weights \(r.checkpoint)
        """ + (r.bestOnTest.map { "\nextra (test-set selection): best epoch \($0.epoch + 1) top-1 \(pct($0.top1))" } ?? "")
    }
}
