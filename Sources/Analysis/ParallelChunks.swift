import Dispatch
import Foundation

/// Runs `body` over `0..<count` cut into a fixed number of contiguous chunks, concurrently.
///
/// The partition depends only on `count` (never on the thread count or timing), and every
/// caller writes each index's result to its own slot and reduces afterwards in index
/// order, so results are bit-identical however many cores run the chunks.
func forEachChunk(_ count: Int, chunks: Int = 16, _ body: (Range<Int>) -> Void) {
    let parts = max(1, min(chunks, count))
    DispatchQueue.concurrentPerform(iterations: parts) { part in
        body((part * count / parts)..<((part + 1) * count / parts))
    }
}
