import ArgumentParser
import Datasets
import Foundation

/// `bce3s data …`: get, verify, subset, generate and benchmark the CIFAR datasets.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Fetch and verify CIFAR-10/100, compute long-tailed subsets, generate synthetic archives.",
        subcommands: [DataFetch.self, DataSubset.self, DataSynth.self, DataBench.self]
    )
}

/// Options shared by the data commands that read a dataset.
struct DataLocationOptions: ParsableArguments {
    @Option(help: "Directory holding the archive or its extracted folder (downloads go here).")
    var dataDir: String = "results/data"

    @Option(help: "Where verified extracted folders are kept (default: the data directory if writable, else ~/.cache/bce3s).")
    var cacheDir: String?

    @Flag(help: "Never download; fail with instructions if the data is not present.")
    var offline = false

    /// A fetcher that logs to standard error and draws a progress bar while downloading.
    func fetcher() -> CIFARFetcher {
        var fetcher = CIFARFetcher(dataDirectory: URL(fileURLWithPath: dataDir),
                                   cacheDirectory: cacheDir.map { URL(fileURLWithPath: $0) })
        fetcher.allowDownload = !offline
        fetcher.log = { printToStandardError($0) }
        fetcher.downloadProgress = { received, total in ProgressBar.draw(received: received, total: total) }
        return fetcher
    }
}

extension CIFARKind: ExpressibleByArgument {}
extension ImbalanceProfile: ExpressibleByArgument {}
extension SelectionPolicy: ExpressibleByArgument {}

func printToStandardError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// A one-line download progress bar on standard error.
enum ProgressBar {
    static func draw(received: Int64, total: Int64?) {
        let megabytes = Double(received) / 1_048_576
        guard let total, total > 0 else {
            FileHandle.standardError.write(Data(String(format: "\r%.1f MB", megabytes).utf8))
            return
        }
        let fraction = min(1, Double(received) / Double(total)), width = 40
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = String(format: "\r[%@] %3.0f%% %.1f/%.1f MB", bar, fraction * 100, megabytes, Double(total) / 1_048_576)
        FileHandle.standardError.write(Data((line + (received >= total ? "\n" : "")).utf8))
    }
}
