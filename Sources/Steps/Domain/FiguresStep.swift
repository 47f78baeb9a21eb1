import Foundation
import Analysis
import Pipeline
import Plotting

/// `figures`: the paper's figures from its inputs' stored metrics and artifacts, never training.
/// Inputs: `runs` (train steps) and optionally `analyses` (analyse steps). PNGs (2× resolution,
/// provenance in tEXt chunks), published under `results/figures/<step name>/`:
/// - `training_curves.png`: loss, test top-1 and learning rate per epoch, one line per run and
///   training stage in one colour across the panels, one legend (test top-1 only when runs were
///   evaluated after more than one epoch; no file when every run had a single epoch);
/// - `per_class_accuracy.png`: test accuracy of every class against its training size (log axis);
/// - `tsne_<analyse step>.png`: t-SNE of the test features, tail classes marked;
/// - `classifier_norms.png`: ‖w_k‖ against the class's training size.
struct FiguresStep: StepKind {
    let name = "figures"
    /// 2: stage-2 epochs drawn as their own series, integer epoch ticks, no empty panels.
    /// 3: epoch axes end at the last epoch, a log loss axis when losses span decades, curves on
    /// top of each other (one shared learning-rate schedule) dashed so every run shows.
    /// 4: more than 10 runs take the muted colours again with a dash pattern per round of 10
    /// (`Palette.seriesStyle`) instead of viridis, whose neighbours look alike.
    /// 5: t-SNE legends name the shot groups the tables use ("medium/few", not "tail"); the
    /// classifier-norm axis is labelled in words (Cairo's toy text drew "w_k" literally).
    let version = 5
    let resources = StepResources.light
    let outputsNameInputs = true

    func validate(parameters: Parameters, inputNames: [String]) throws {
        try parameters.requireOnly([])
        guard inputNames.contains("runs"), Set(inputNames).isSubset(of: ["runs", "analyses"]) else {
            throw StepInputError("'figures' takes 'runs' (train steps) and optionally 'analyses' (analyse steps); found \(inputNames)")
        }
    }

    func validate(parameters: Parameters, inputs: [String: [(kind: String, parameters: Parameters)]]) throws {
        try InputKinds.require(["runs": "train", "analyses": "analyse"], in: inputs)
    }

    func run(_ context: StepContext) throws -> StepResult {
        let runs = context.inputs["runs"] ?? []
        let provenance = RunProvenance.of(context)
        var drawn: [String: Figure] = ["per_class_accuracy.png": TrainingFigures.perClassAccuracy(runs)]
        if let curves = TrainingFigures.curves(runs) { drawn["training_curves.png"] = curves }
        for analysis in context.inputs["analyses"] ?? [] {
            drawn["tsne_\(analysis.name).png"] = try AnalysisFigures.tsne(analysis)
        }
        if let norms = try AnalysisFigures.classifierNorms(context.inputs["analyses"] ?? []) { drawn["classifier_norms.png"] = norms }
        var publish: [String: String] = [:]
        for (file, figure) in drawn.sorted(by: { $0.key < $1.key }) {
            try figure.write(to: context.outputDirectory.appendingPathComponent(file), provenance: provenance)
            publish[file] = "figures/\(context.name)/\(file)"
            context.log("drew \(file)")
        }
        return StepResult(metrics: [Metric("figures", Double(drawn.count))], publish: publish)
    }
}
