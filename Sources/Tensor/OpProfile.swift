import Foundation

/// Where a training step's time goes: opt-in wall-clock accounting per kernel.
///
/// Off by default (one branch per kernel call). When on, every oneDNN primitive execution is
/// charged to its label (primitive kind, propagation and implementation, e.g.
/// `convolution backward_weights jit_wino_4x3:avx512_core`), every OpenBLAS product to
/// `sgemm`, and callers may charge their own sections with `measure`. `bce3s bench --profile`
/// uses it to print the per-op split beside the step time; what no label covers is the
/// Swift glue (element-wise ops, losses, autograd bookkeeping, allocation).
///
/// Sections must not nest (each kernel is a leaf). Calls from several threads are safe.
public enum OpProfile {
    /// Accumulated wall time and call count of one label.
    public struct Entry: Codable, Sendable, Equatable {
        public let label: String
        public let seconds: Double
        public let calls: Int
    }

    nonisolated(unsafe) private static var enabled = false
    nonisolated(unsafe) private static var totals: [String: (seconds: Double, calls: Int)] = [:]
    private static let lock = NSLock()

    /// Whether sections are being timed.
    public static var isEnabled: Bool { lock.withLock { enabled } }

    /// Clears the accumulated times and starts (or stops) timing.
    public static func reset(enabled on: Bool) {
        lock.lock()
        defer { lock.unlock() }
        totals = [:]
        enabled = on
    }

    /// The accumulated entries, longest first (ties by label).
    public static func entries() -> [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return totals.map { Entry(label: $0.key, seconds: $0.value.seconds, calls: $0.value.calls) }
            .sorted { ($0.seconds, $1.label) > ($1.seconds, $0.label) }
    }

    /// Runs `body`, charging its wall time to `label` when profiling is on.
    @inline(__always)
    public static func measure<R>(_ label: @autoclosure () -> String, _ body: () throws -> R) rethrows -> R {
        guard isEnabled else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        add(label(), seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        return result
    }

    private static func add(_ label: String, seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        let old = totals[label] ?? (0, 0)
        totals[label] = (old.seconds + seconds, old.calls + 1)
    }
}
