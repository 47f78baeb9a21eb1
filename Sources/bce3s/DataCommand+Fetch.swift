import ArgumentParser
import Datasets
import Foundation

/// `bce3s data fetch cifar10|cifar100`: find or download, verify and extract into the cache.
struct DataFetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Find (or download), verify and extract a CIFAR archive into the data cache.")

    @Argument(help: "cifar10 or cifar100")
    var dataset: CIFARKind

    @OptionGroup var location: DataLocationOptions

    func run() throws {
        let fetcher = location.fetcher()
        let (root, expected) = try fetcher.prepare(dataset)
        let folder = root.appendingPathComponent(dataset.format.folderName).path
        print("\(dataset.rawValue): verified \(expected.contents.count) files in \(folder)"
              + (expected.isSynthetic ? " (synthetic data)" : ""))
    }
}
