import ArgumentParser
import Datasets
import Foundation

/// `bce3s data synth`: a small generated dataset in the exact archive format.
struct DataSynth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a small procedural dataset as an official-format .tar.gz plus a synthetic manifest.")

    @Option(help: "cifar10 or cifar100")
    var dataset: CIFARKind

    @Option(help: "Output directory (becomes a synthetic data directory for `--data-dir`).")
    var out: String

    @Option(parsing: .unconditional, help: "Training images per class.")
    var perClass: Int

    @Option(parsing: .unconditional, help: "Test images per class (default: per-class / 5, at least 1).")
    var testPerClass: Int?

    @Option(parsing: .unconditional, help: "Seed of the generator.")
    var seed: UInt64 = 0

    func validate() throws {
        let limit = SyntheticCIFAR.maximumPerClass
        for (option, value) in [("--per-class", perClass), ("--test-per-class", testPerClass)] {
            guard let value, !(1...limit).contains(value) else { continue }
            throw ValidationError("\(option) must be between 1 and \(limit) (ten times CIFAR-10's 5,000 training images "
                                  + "per class; got \(value))")
        }
    }

    func run() throws {
        let manifest = try SyntheticCIFAR.write(dataset, to: URL(fileURLWithPath: out), perClass: perClass,
                                                testPerClass: testPerClass ?? max(1, perClass / 5), seed: seed)
        print("wrote \(out)/\(manifest.archive) (sha256 \(manifest.archiveSHA256)) and "
              + "\(out)/\(SyntheticManifest.fileName(for: dataset))")
    }
}
