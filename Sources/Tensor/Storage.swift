import Foundation

/// A 64-byte-aligned buffer of `Float`s that backs one or more tensors.
///
/// Buffers are recycled through `BufferPool`, so a training loop whose shapes repeat
/// stops calling `malloc` after its first step.
public final class Storage {
    /// Number of `Float`s in the buffer.
    public let count: Int
    /// Start of the buffer (64-byte aligned, as oneDNN's AVX-512 kernels like it).
    public let pointer: UnsafeMutablePointer<Float>

    /// A buffer of `count` floats; zero-filled when `zeroed`, otherwise with unspecified contents.
    init(count: Int, zeroed: Bool) {
        self.count = count
        pointer = BufferPool.shared.take(count)
        if zeroed { pointer.initialize(repeating: 0, count: max(count, 1)) }
    }

    deinit { BufferPool.shared.give(pointer, count) }
}

/// Keeps released buffers by size so repeated shapes reuse memory instead of allocating.
///
/// It only caches memory; it never changes what a program computes. The cache is bounded,
/// and beyond `capacityBytes` released buffers are freed.
final class BufferPool {
    static let shared = BufferPool()
    private var idle: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var pooledBytes = 0
    private let capacityBytes = 2 << 30
    private let lock = NSLock()

    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        lock.lock()
        if var list = idle[count], let p = list.popLast() {
            idle[count] = list
            pooledBytes -= count * 4
            lock.unlock()
            return p
        }
        lock.unlock()
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, 64, max(count, 1) * MemoryLayout<Float>.stride) == 0, let raw else {
            fatalError("Tensor: out of memory allocating \(count) floats")
        }
        return raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    func give(_ pointer: UnsafeMutablePointer<Float>, _ count: Int) {
        lock.lock()
        defer { lock.unlock() }
        if pooledBytes + count * 4 > capacityBytes {
            Foundation.free(UnsafeMutableRawPointer(pointer))
            return
        }
        idle[count, default: []].append(pointer)
        pooledBytes += count * 4
    }
}
