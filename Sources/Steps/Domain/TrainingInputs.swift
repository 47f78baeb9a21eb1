import Foundation
import Datasets
import Pipeline
import Training

/// The images a `train` or `analyse` step works on: the `data` input's subset of the dataset in
/// `--data-dir`, checked against the subset's fingerprints so that a changed data directory
/// (say generated data swapped for CIFAR) is an error rather than a silent mismatch.
enum TrainingInputs {
    /// Loads the subset described by input `data`; `expected` (the step's own dataset parameters)
    /// must equal what the dataset step drew.
    static func load(_ context: StepContext, expected: DatasetChoice?) throws -> TrainingData {
        let input = try context.input("data")
        let manifest = try SubsetManifest.read(from: input)
        if let expected, expected != manifest.choice {
            throw StepInputError("parameters say \(expected.label) but input '\(input.name)' drew \(manifest.choice.label)")
        }
        let indicesURL = try input.artifact(SubsetManifest.indicesFileName)
        let indices = try NPYFile.readInts(from: indicesURL).values
        guard LongTailSubset.sha256(ofIndices: indices) == manifest.indicesSHA256 else {
            throw StepInputError("\(indicesURL.path): indices do not match the SHA-256 in \(SubsetManifest.fileName)")
        }
        var fetcher = CIFARFetcher(dataDirectory: context.dataDirectory)
        fetcher.allowDownload = false
        fetcher.log = context.log
        let dataset = try fetcher.load(manifest.choice.dataset)
        guard dataset.isSynthetic == manifest.synthetic, indices.allSatisfy({ $0 >= 0 && $0 < dataset.train.count }) else {
            throw StepInputError("the data in \(context.dataDirectory.path) is not the data step '\(input.name)' drew its subset from "
                                 + "(generated: \(dataset.isSynthetic) now, \(manifest.synthetic) then); rerun with --force \(input.name)")
        }
        let data = TrainingData(train: dataset.train.subset(indices), test: dataset.test, classCount: dataset.classCount,
                                subsetSHA256: manifest.indicesSHA256)
        guard data.classCounts == manifest.classCounts else {
            throw StepInputError("the labels in \(context.dataDirectory.path) do not give the class counts of step '\(input.name)'; "
                                 + "rerun with --force \(input.name)")
        }
        return data
    }
}
