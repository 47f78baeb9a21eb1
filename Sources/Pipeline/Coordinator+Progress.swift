import Foundation

/// Progress of long steps: the coordinator relays the latest log line of each running step.
extension Coordinator {
    /// Sends a `progress` event for every running step whose last log line changed since the last one.
    func reportProgress() {
        for (index, state) in states.enumerated() {
            guard case .running(let key, _, _) = state,
                  let line = LogTail.lastLines(of: layout.log(key), count: 1).first,
                  lastProgress[index] != line else { continue }
            lastProgress[index] = line
            onEvent(.progress(name: graph.steps[index].name, line: line))
        }
    }
}

/// The end of a log file, read without loading a long log whole.
enum LogTail {
    /// The last `count` non-empty lines within the final 16 KiB of the file (none if unreadable).
    static func lastLines(of url: URL, count: Int) -> [String] {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return [] }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return [] }
        try? handle.seek(toOffset: size > 16_384 ? size - 16_384 : 0)
        let text = String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
        return Array(text.split(whereSeparator: \.isNewline).suffix(count).map(String.init))
    }
}
