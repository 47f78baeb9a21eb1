import Foundation
import Datasets
import Pipeline
import Store

/// `dataset`: finds (or downloads) and verifies CIFAR-10/100 in `--data-dir`, draws the
/// long-tailed training subset (METHOD.md §1) and records it: `indices.npy` (kept training
/// indices, class by class), `subset.json` (counts and fingerprints) and metrics — images per
/// class (`count`, by class), `train_images`, `test_images`, `synthetic`, and the number of
/// Many / Medium / Few classes under the common rule. Offline without the data it fails at once
/// with the message saying which file to put where.
struct DatasetStep: StepKind {
    let name = "dataset"
    let version = 1
    let resources = StepResources.light

    func validate(parameters: Parameters, inputNames: [String]) throws {
        try parameters.requireOnly(DatasetChoice.parameterNames.union(["download"]))
        _ = try DatasetChoice(parameters)
        _ = try parameters.optional("download", default: true, Parameters.bool)
        if let input = inputNames.first { throw StepInputError("'dataset' takes no inputs, found '\(input)'") }
    }

    /// Generated data joins the key with the content checksums its manifest lists (other generated
    /// data, another key); the official data adds nothing to the key, as its checksums are fixed
    /// — so results from CIFAR keep their keys — but a stored result must say whether it was made
    /// from generated data (`synthetic`) as the data directory does now.
    func externalInputs(parameters: Parameters, dataDirectory: URL) -> ExternalInputs? {
        guard let kind = try? DatasetChoice(parameters).dataset else { return nil }
        guard let expected = try? ExpectedChecksums.resolve(kind.format, dataDir: dataDirectory) else {
            return ExternalInputs(identity: .string("unreadable synthetic-data manifest"))
        }
        return ExternalInputs(identity: Self.generatedDataSHA256(expected).map(ParameterValue.string),
                              requiredMetrics: ["synthetic": expected.isSynthetic ? 1 : 0])
    }

    /// For generated data, SHA-256 over its files' content checksums (`file<TAB>algorithm hex` lines,
    /// sorted); nil for the official data.
    static func generatedDataSHA256(_ expected: ExpectedChecksums) -> String? {
        guard expected.isSynthetic else { return nil }
        return Digest.sha256(expected.contents.keys.sorted().map { "\($0)\t\(expected.contents[$0]!)" }.joined(separator: "\n"))
    }

    func run(_ context: StepContext) throws -> StepResult {
        let choice = try DatasetChoice(context.parameters)
        var fetcher = CIFARFetcher(dataDirectory: context.dataDirectory)
        fetcher.allowDownload = try context.parameters.optional("download", default: true, Parameters.bool)
        fetcher.log = context.log
        let data = try fetcher.load(choice.dataset)
        let subset = try LongTailSubset(balancedLabels: data.train.labels, classCount: data.classCount,
                                    profile: choice.profile, imbalance: choice.imbalance, policy: choice.policy)
        try NPYFile.write(subset.indices, shape: [subset.total],
                          to: context.outputDirectory.appendingPathComponent(SubsetManifest.indicesFileName))
        let manifest = SubsetManifest(choice: choice, classCounts: subset.counts, trainImages: subset.total,
                                      testImages: data.test.count, indicesSHA256: subset.indicesSHA256,
                                      synthetic: data.isSynthetic,
                                      generatedDataSHA256: Self.generatedDataSHA256(
                                          try ExpectedChecksums.resolve(choice.dataset.format, dataDir: context.dataDirectory)))
        try manifest.write(to: context.outputDirectory)
        context.log("\(choice.label): \(subset.total) training images, counts "
                    + subset.counts.map(String.init).joined(separator: " ") + (data.isSynthetic ? " (generated data)" : ""))
        return StepResult(metrics: Self.metrics(manifest))
    }

    static func metrics(_ manifest: SubsetManifest) -> [Metric] {
        let groups = Datasets.ShotGroupRule.standard.classes(classCounts: manifest.classCounts)
        return [Metric("train_images", Double(manifest.trainImages), split: .train),
                Metric("test_images", Double(manifest.testImages), split: .test),
                Metric("synthetic", manifest.synthetic ? 1 : 0)]
            + Datasets.ShotGroup.allCases.map { Metric("\($0.rawValue)_classes", Double(groups[$0]!.count)) }
            + manifest.classCounts.enumerated().map { Metric("count", Double($1), classIndex: $0, split: .train) }
    }
}
