import Foundation
import Analysis
import Pipeline
import Plotting
import Store

/// `figures`: the paper's figures from its inputs' stored metrics and artifacts, never training.
/// Inputs: `runs` (train steps) and optionally `analyses` (analyse steps). PNGs (2× resolution,
/// provenance in tEXt chunks), published under `results/figures/<step name>/`:
/// - `training_curves.png`: loss, test top-1 and learning rate per epoch, one line per run and
///   training stage in one colour across the panels, one legend (test top-1 only when runs were
///   evaluated after more than one epoch; no file when every run had a single epoch);
/// - `per_class_accuracy.png`: test accuracy of every class against its training size (log axis);
/// - `tsne_<analyse step>.png`: t-SNE of the test features, tail classes marked;
/// - `classifier_norms.png`: ‖w_k‖ against the class's training size.
/// A run has one name (its train step's), colour and marker in every figure.
struct FiguresStep: StepKind {
    let name = "figures"
    /// 2: stage-2 epochs drawn as their own series, integer epoch ticks, no empty panels.
    /// 3: epoch axes end at the last epoch, a log loss axis when losses span decades, curves on
    /// top of each other (one shared learning-rate schedule) dashed so every run shows.
    /// 4: more than 10 runs take the muted colours again with a dash pattern per round of 10
    /// (`Palette.seriesStyle`) instead of viridis, whose neighbours look alike.
    /// 5: t-SNE legends name the shot groups the tables use ("medium/few", not "tail"); the
    /// classifier-norm axis is labelled in words (Cairo's toy text drew "w_k" literally).
    /// 6: a run keeps one name, colour and marker in every figure (classifier norms and t-SNE
    /// titles name the analysed run, not the analyse step; stage-2 series come after all runs);
    /// charts with markers leave a margin so no point sits on the frame.
    let version = 6
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
        let analyses = context.inputs["analyses"] ?? []
        let provenance = RunProvenance.of(context)
        let looks = FigureSeriesLooks(names: TrainingFigures.seriesNames(runs))
        let runNames = try Self.analysedRunNames(analyses, runs: runs, store: context.openStoreReadOnly())
        var drawn: [String: Figure] = ["per_class_accuracy.png": TrainingFigures.perClassAccuracy(runs, looks: looks)]
        if let curves = TrainingFigures.curves(runs, looks: looks) { drawn["training_curves.png"] = curves }
        for analysis in analyses {
            drawn["tsne_\(analysis.name).png"] = try AnalysisFigures.tsne(analysis, runName: runNames[analysis.key] ?? analysis.name)
        }
        if let norms = try AnalysisFigures.classifierNorms(analyses, runNames: runNames, looks: looks) {
            drawn["classifier_norms.png"] = norms
        }
        var publish: [String: String] = [:]
        for (file, figure) in drawn.sorted(by: { $0.key < $1.key }) {
            try figure.write(to: context.outputDirectory.appendingPathComponent(file), provenance: provenance)
            publish[file] = "figures/\(context.name)/\(file)"
            context.log("drew \(file)")
        }
        return StepResult(metrics: [Metric("figures", Double(drawn.count))], publish: publish)
    }

    /// Analysis key → the name of the run among `runs` whose model it analysed (its `model`
    /// input, from the store), so a method has one name and look in every figure.
    static func analysedRunNames(_ analyses: [StepInput], runs: [StepInput], store: ExperimentStore) throws -> [String: String] {
        let runNames = Dictionary(runs.map { ($0.key, $0.name) }) { first, _ in first }
        var names: [String: String] = [:]
        for analysis in analyses {
            let model = try store.inputs(ofStep: analysis.key).first { $0.inputName == "model" }
            if let model, let name = runNames[model.inputKey] { names[analysis.key] = name }
        }
        return names
    }
}
