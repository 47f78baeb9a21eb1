import Foundation

/// The number of OpenMP threads oneDNN and OpenBLAS share. Results are bit-identical for a
/// given seed *and* thread count, so the code that owns a computation passes its count
/// explicitly (`Trainer.run(…, threads:)`, `EngineBenchmark.run(…, threads:)`) and scopes it
/// with `with(_:_:)`; OpenMP itself keeps one count per process.
public enum ComputeThreads {
    private typealias SetThreads = @convention(c) (Int32) -> Void
    private typealias GetThreads = @convention(c) () -> Int32

    /// Sets the OpenMP thread count for all later kernels.
    public static func set(_ count: Int) {
        precondition(count >= 1, "ComputeThreads.set: thread count must be at least 1, got \(count)")
        guard let symbol = dlsym(nil, "omp_set_num_threads") else { fatalError("ComputeThreads: OpenMP runtime not loaded") }
        unsafeBitCast(symbol, to: SetThreads.self)(Int32(count))
    }

    /// Runs `body` with `count` threads, then restores the count it found.
    public static func with<R>(_ count: Int, _ body: () throws -> R) rethrows -> R {
        let previous = current
        set(count)
        defer { set(previous) }
        return try body()
    }

    /// The OpenMP thread count kernels currently use.
    public static var current: Int {
        guard let symbol = dlsym(nil, "omp_get_max_threads") else { return 1 }
        return Int(unsafeBitCast(symbol, to: GetThreads.self)())
    }
}
