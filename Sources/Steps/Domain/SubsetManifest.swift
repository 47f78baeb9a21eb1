import Foundation
import Datasets
import Pipeline

/// `subset.json`, the `dataset` step's description of the training subset it drew: which data,
/// how many images per class, and fingerprints that let a later step check it reads the same
/// images (the kept indices themselves are in `indices.npy`).
struct SubsetManifest: Codable, Equatable {
    static let fileName = "subset.json"
    static let indicesFileName = "indices.npy"

    var choice: DatasetChoice
    var classCounts: [Int]
    var trainImages: Int
    var testImages: Int
    /// SHA-256 of the kept indices (little-endian Int64), as `LongTailSubset.indicesSHA256`.
    var indicesSHA256: String
    /// True when the data directory held generated data (`bce3s data synth`), not CIFAR.
    var synthetic: Bool
    /// For generated data only, a fingerprint of its content checksums, so that two generated
    /// datasets with the same counts give different outputs (and dependents other keys). Absent
    /// for CIFAR: the manifest of the official data keeps its bytes.
    var generatedDataSHA256: String? = nil

    enum CodingKeys: String, CodingKey {
        case choice, synthetic
        case generatedDataSHA256 = "generated_data_sha256"
        case classCounts = "class_counts", trainImages = "train_images", testImages = "test_images"
        case indicesSHA256 = "indices_sha256"
    }

    func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: directory.appendingPathComponent(Self.fileName), options: .atomic)
    }

    /// Reads the manifest of the upstream `dataset` step `input`; errors name the file.
    static func read(from input: StepInput) throws -> SubsetManifest {
        let url = try input.artifact(fileName)
        do {
            return try JSONDecoder().decode(SubsetManifest.self, from: Data(contentsOf: url))
        } catch {
            throw StepInputError("\(url.path): not a subset manifest of a dataset step (\(error))")
        }
    }
}
