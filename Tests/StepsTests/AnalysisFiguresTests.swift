import XCTest
import Datasets
import Pipeline
import Plotting
import Store
@testable import Steps

/// The t-SNE figures mark the classes outside the Many group under the shot-group names the
/// tables use: CIFAR-10-LT IF 100 has no Few class, so its two smallest classes are "medium/few",
/// never a "tail" the tables and the ledger say it lacks.
final class AnalysisFiguresTests: XCTestCase {
    func testTheMarkedClassesAreNamedByTheTablesShotGroups() {
        let cifar10IF100 = [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]
        let marked = AnalysisFigures.tailClasses(cifar10IF100)
        XCTAssertEqual(marked.classes, [8, 9])
        XCTAssertEqual(marked.name, "medium/few")
        XCTAssertEqual(marked.headName, "many")
        let generated = AnalysisFigures.tailClasses([20, 12, 8, 4])
        XCTAssertEqual(generated.classes, [2, 3], "every class is below 100 images: the ones below the median")
        XCTAssertEqual(generated.name, "below median size")
    }

    /// The classifier norms (and t-SNE titles) name the run an analysis analysed — found through
    /// its stored `model` input — in that run's look, not the analyse step: a method has one name
    /// and colour in every figure. An analysis of a run that is not among the runs keeps its name.
    func testClassifierNormsNameAndColourTheAnalysedRun() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("figures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try ExperimentStore.openForWriting(at: directory.appendingPathComponent("store.sqlite"))
        let runID = try store.beginRun(RunRecord(pipeline: "p.yaml", pipelineSHA256: "abc", argv: "bce3s run p.yaml", startedAt: Date(),
                                                 status: .running, codeVersion: "test"))
        let (ceKey, otherKey) = (String(repeating: "c", count: 64), String(repeating: "o", count: 64))
        var analyses: [StepInput] = []
        for (name, model, modelName) in [("analyse-ce", ceKey, "train-ce"), ("analyse-other", otherKey, "train-other")] {
            let key = Digest.sha256(name)
            let weights = directory.appendingPathComponent("\(name).npy")
            try NPYFile.write([Float(3), 4, 0, 1], shape: [2, 2], to: weights)
            try store.ingest(StepIngest(step: StepRecord(key: key, kind: "analyse", name: name, paramsJSON: "{}", version: 1,
                                                         status: .succeeded, outputDigest: "d", startedAt: Date(), finishedAt: Date(),
                                                         seconds: 1, error: nil),
                                        inputs: [StepInputRecord(stepKey: key, inputName: "model", position: 0, inputKey: model,
                                                                 inputStep: modelName, digest: "d")],
                                        artifacts: [], metrics: []),
                             runStep: RunStepRecord(runID: runID, name: name, stepKey: key, outcome: .ran, reason: "new"))
            analyses.append(StepInput(key: key, name: name, artifacts: ["classifier_weights.npy": weights],
                                      metrics: [Metric("class_count", 100, classIndex: 0, split: .train),
                                                Metric("class_count", 10, classIndex: 1, split: .train)]))
        }
        let runs = [StepInput(key: String(repeating: "b", count: 64), name: "train-bce3s", artifacts: [:], metrics: []),
                    StepInput(key: ceKey, name: "train-ce", artifacts: [:], metrics: [])]
        let names = try FiguresStep.analysedRunNames(analyses, runs: runs, store: store)
        XCTAssertEqual(names, [analyses[0].key: "train-ce"], "the other analysis's model is not among the runs")
        let looks = FigureSeriesLooks(names: TrainingFigures.seriesNames(runs))
        let chart = try XCTUnwrap(try AnalysisFigures.classifierNorms(analyses, runNames: names, looks: looks)?.panels.first as? LineChart)
        XCTAssertEqual(chart.series.map(\.name), ["train-ce", "analyse-other"])
        XCTAssertEqual(chart.series[0].y, [5, 1], "row norms of [[3, 4], [0, 1]]")
        XCTAssertEqual(chart.series[0].color, looks.styled(LineChart.Series("train-ce", x: [], y: [])).color)
        XCTAssertEqual(chart.series[0].color, Palette.seriesStyle(1, of: 2).color, "CE is the second run")
        XCTAssertNil(chart.series[1].color, "no look of its own: the chart's palette")
    }
}
