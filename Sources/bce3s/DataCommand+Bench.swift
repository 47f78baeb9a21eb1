import ArgumentParser
import Datasets
import Foundation

/// `bce3s data bench`: augmented images per second (AutoAugment recipe) on one core.
struct DataBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure augmentation throughput (crop, flip, AutoAugment, Cutout, normalise) on one core.")

    @Option(parsing: .unconditional, help: "Images to augment per measurement.")
    var images: Int = 10000

    func validate() throws {
        guard images >= 1 else { throw ValidationError("--images must be at least 1, got \(images)") }
    }

    @Option(help: "Read real images from this data directory instead of generating them.")
    var dataDir: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let data: LabeledImages
        if let dataDir {
            var fetcher = CIFARFetcher(dataDirectory: URL(fileURLWithPath: dataDir))
            fetcher.allowDownload = false
            data = try fetcher.load(.cifar10).train
        } else {
            data = LoaderBenchmark.generatedImages(count: 2000)
        }
        let result = LoaderBenchmark.run(data: data, images: images)
        if json {
            print(try JSONOutput.line(result))
        } else {
            print(String(format: "augmentation (AutoAugment recipe), one core: %.0f images/s", result.augmentImagesPerSecondOneCore))
            print(String(format: "batch loader (one worker thread):           %.0f images/s", result.loaderImagesPerSecond))
        }
    }
}
