import Foundation

/// Serves augmented mini-batches, prepared on a background thread while the caller trains.
///
/// Deterministic for a seed: the epoch's order comes from `SplitMix64(seed, epoch)` and every
/// augmentation draw of the image at batch position p from `SplitMix64(seed, epoch, p)`, so the
/// batches do not depend on thread timing or on how far ahead the worker runs.
///
///     let loader = BatchLoader(images: train, batchSize: 128, augmentation: .standard, order: .shuffled, seed: 0)
///     let epoch = loader.epoch(3)
///     while var batch = epoch.next() { …; epoch.recycle(&batch) }   // recycle: reuse its buffers
public final class BatchLoader: @unchecked Sendable {
    public let images: LabeledImages
    public let batchSize: Int
    public let augmentation: AugmentationPipeline
    public let order: SampleOrder
    public let seed: UInt64
    /// Drop the last incomplete batch of an epoch.
    public let dropLast: Bool
    /// Batches prepared ahead of the consumer.
    public let prefetch: Int

    public init(images: LabeledImages, batchSize: Int, augmentation: AugmentationPipeline, order: SampleOrder,
                seed: UInt64, dropLast: Bool = false, prefetch: Int = 2) {
        precondition(batchSize > 0 && prefetch > 0)
        self.images = images
        self.batchSize = batchSize
        self.augmentation = augmentation
        self.order = order
        self.seed = seed
        self.dropLast = dropLast
        self.prefetch = prefetch
    }

    /// Positions visited in `epoch`, in order.
    public func positions(epoch: Int) -> [Int] {
        var rng = SplitMix64(seed: seed, stream: UInt64(epoch))   // images use (epoch, position)
        switch order {
        case .sequential: return Array(0..<images.count)
        case .shuffled: return Array(0..<images.count).shuffled(using: &rng)
        case let .sampled(sampler, count): return sampler.sample(count: count, rng: &rng)
        }
    }

    public var batchesPerEpoch: Int {
        let count: Int
        switch order {
        case .sequential, .shuffled: count = images.count
        case let .sampled(_, draws): count = draws
        }
        return dropLast ? count / batchSize : (count + batchSize - 1) / batchSize
    }

    /// Starts preparing `epoch` on a background thread and returns its batches.
    public func epoch(_ epoch: Int) -> EpochBatches { EpochBatches(loader: self, epoch: epoch) }

    /// Fills `batch` with the images at `positions`, the k-th using draws from stream (epoch, first + k).
    func fill(_ batch: inout Batch, positions: ArraySlice<Int>, epoch: Int, first: Int) {
        let size = CIFARFormat.imageBytes, side = CIFARFormat.imageSide
        batch.labels.removeAll(keepingCapacity: true)
        batch.positions.removeAll(keepingCapacity: true)
        if batch.images.count != positions.count * size {
            batch.images = [Float](repeating: 0, count: positions.count * size)
        }
        batch.images.withUnsafeMutableBufferPointer { out in
            for (k, position) in positions.enumerated() {
                let start = position * size
                let image = RGBImage(width: side, height: side, pixels: Array(images.pixels[start..<start + size]))
                var rng = SplitMix64(seed: seed, stream: UInt64(epoch), UInt64(first + k))
                augmentation.apply(image, rng: &rng, into: out.baseAddress! + k * size)
                batch.labels.append(images.labels[position])
                batch.positions.append(position)
            }
        }
    }
}

/// The batches of one epoch, produced ahead by a worker thread. Not thread-safe: one consumer.
public final class EpochBatches: IteratorProtocol, Sequence {
    private let state: PrefetchQueue
    public let count: Int

    init(loader: BatchLoader, epoch: Int) {
        let positions = loader.positions(epoch: epoch)
        count = loader.batchesPerEpoch
        let state = PrefetchQueue(capacity: loader.prefetch)
        self.state = state
        let total = count
        let worker = Thread {
            var done = 0
            while done < total, var batch = state.takeFreeBuffer() {
                let first = done * loader.batchSize
                loader.fill(&batch, positions: positions[first..<Swift.min(first + loader.batchSize, positions.count)],
                            epoch: epoch, first: first)
                state.publish(batch)
                done += 1
            }
            state.finish()
        }
        worker.name = "bce3s.BatchLoader"
        worker.start()
    }

    deinit { state.cancel() }

    /// The next batch, waiting for the worker if needed; nil after the last one.
    public func next() -> Batch? { state.takeReady() }

    /// Hands a consumed batch back (leaving `batch` empty) so the worker refills its buffers
    /// instead of allocating new ones.
    public func recycle(_ batch: inout Batch) {
        var taken = Batch()
        swap(&taken, &batch)
        state.recycle(taken)
    }
}

/// A bounded hand-off between the worker and the consumer, with a pool of reusable batches.
final class PrefetchQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Batch] = []
    private var free: [Batch] = []
    private let capacity: Int
    private var finished = false
    private var cancelled = false

    init(capacity: Int) { self.capacity = capacity }

    /// A buffer to fill (recycled if available); waits while `capacity` batches are ready.
    func takeFreeBuffer() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return nil }
        return free.popLast() ?? Batch()
    }

    func publish(_ batch: Batch) {
        condition.lock()
        ready.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    func takeReady() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        if ready.isEmpty { return nil }
        let batch = ready.removeFirst()
        condition.broadcast()
        return batch
    }

    func recycle(_ batch: Batch) {
        condition.lock()
        if free.count < capacity + 1 { free.append(batch) }
        condition.unlock()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
