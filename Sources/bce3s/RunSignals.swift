import Dispatch
import Foundation

/// Turns SIGINT (Ctrl-C) and SIGTERM into a call of `handler` on a background queue, so `bce3s run`
/// can cancel its jobs and record the run as interrupted instead of dying mid-write. SIGPIPE is
/// ignored meanwhile, so output to a reader that has gone (`bce3s run … | head`) is a write error
/// the run's printer notices (`outputIsBroken`), not a death that leaves the run `running`.
/// Restores the default dispositions when released.
final class RunSignals {
    private static let handled = [SIGINT, SIGTERM]
    private let sources: [DispatchSourceSignal]

    init(_ handler: @escaping @Sendable (Int32) -> Void) {
        signal(SIGPIPE, SIG_IGN)
        sources = Self.handled.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
        for number in Self.handled + [SIGPIPE] { signal(number, SIG_DFL) }
    }

    /// Whether standard output failed (its reader closed the pipe): call after flushing it.
    static var outputIsBroken: Bool { ferror(stdout) != 0 }
}
