import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads one URL to a file with URLSession, reporting progress, writing to a temporary name
/// and renaming on success so an interrupted download never looks like a complete archive.
public enum Downloader {
    /// Bytes received so far and the expected total (nil when the server does not say).
    public typealias Progress = @Sendable (_ received: Int64, _ total: Int64?) -> Void

    /// Blocks until `url` is saved at `destination`; throws a message describing the failure.
    /// A `file://` URL (a mirror on a shared filesystem) is copied, since URLSession on Linux
    /// does not serve files.
    public static func download(_ url: URL, to destination: URL, timeout: TimeInterval = 60,
                                progress: Progress? = nil) throws {
        if url.isFileURL { return try copy(url, to: destination, progress: progress) }
        let delegate = DownloadDelegate(destination: destination, progress: progress)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        session.downloadTask(with: url).resume()
        delegate.finished.wait()
        session.finishTasksAndInvalidate()
        if let failure = delegate.failure { throw DownloadFailure(message: failure) }
    }

    private static func copy(_ source: URL, to destination: URL, progress: Progress?) throws {
        let partial = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).partial-\(UUID().uuidString)")
        do {
            try FileManager.default.copyItem(at: source, to: partial)
            let size = (try FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? NSNumber)?.int64Value
            progress?(size ?? 0, size)
            try FileManager.default.moveItem(at: partial, to: destination)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw DownloadFailure(message: "cannot copy \(source.path): \(error.localizedDescription)")
        }
    }

    public struct DownloadFailure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}

private final class DownloadDelegate: NSObject, URLSessionDownloadDelegate, @unchecked Sendable {
    let destination: URL
    let progress: Downloader.Progress?
    let finished = DispatchSemaphore(value: 0)
    var failure: String?

    init(destination: URL, progress: Downloader.Progress?) {
        self.destination = destination
        self.progress = progress
    }

    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didWriteData bytesWritten: Int64,
                    totalBytesWritten: Int64, totalBytesExpectedToWrite: Int64) {
        progress?(totalBytesWritten, totalBytesExpectedToWrite > 0 ? totalBytesExpectedToWrite : nil)
    }

    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didFinishDownloadingTo location: URL) {
        if let http = downloadTask.response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            failure = "HTTP status \(http.statusCode)"
            return
        }
        let partial = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).partial-\(UUID().uuidString)")
        do {
            try FileManager.default.moveItem(at: location, to: partial)
            try FileManager.default.moveItem(at: partial, to: destination)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            // Another process finished the same download first: its file is checked like ours.
            if !FileManager.default.fileExists(atPath: destination.path) {
                failure = "cannot save \(destination.path): \(error.localizedDescription)"
            }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let error { failure = failure ?? error.localizedDescription }
        finished.signal()
    }
}
