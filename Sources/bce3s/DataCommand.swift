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

    @Option(help: "Download from this mirror instead of the official URL (official checksums still apply).")
    var mirrorURL: String?

    /// A fetcher that logs to standard error and draws a progress bar while downloading.
    func fetcher() -> CIFARFetcher {
        var fetcher = CIFARFetcher(dataDirectory: URL(fileURLWithPath: dataDir),
                                   cacheDirectory: cacheDir.map { URL(fileURLWithPath: $0) })
        fetcher.allowDownload = !offline
        fetcher.downloadURL = mirrorURL.flatMap(URL.init(string:))
        fetcher.log = { printToStandardError($0) }
        let bar = ProgressBar()
        fetcher.downloadProgress = { received, total in bar.draw(received: received, total: total) }
        return fetcher
    }
}

extension CIFARKind: ExpressibleByArgument {}
extension ImbalanceProfile: ExpressibleByArgument {}
extension SelectionPolicy: ExpressibleByArgument {}

func printToStandardError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// A one-line download progress bar on standard error, redrawn only when the shown percentage
/// (or, without a known size, the shown megabyte) changes.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var lastShown = -1
    private var finished = false

    func draw(received: Int64, total: Int64?) {
        lock.lock()
        defer { lock.unlock() }
        let megabytes = Double(received) / 1_048_576
        guard let total, total > 0 else {
            guard Int(megabytes) != lastShown else { return }
            lastShown = Int(megabytes)
            FileHandle.standardError.write(Data(String(format: "\r%.0f MB", megabytes).utf8))
            return
        }
        let fraction = min(1, Double(received) / Double(total)), width = 40
        let percent = Int(fraction * 100)
        guard percent != lastShown, !finished else { return }
        lastShown = percent
        finished = percent == 100
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = String(format: "\r[%@] %3d%% %.1f/%.1f MB", bar, percent, megabytes, Double(total) / 1_048_576)
        FileHandle.standardError.write(Data((line + (finished ? "\n" : "")).utf8))
    }
}
