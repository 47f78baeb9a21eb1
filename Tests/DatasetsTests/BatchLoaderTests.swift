import XCTest
@testable import Datasets

final class BatchLoaderTests: XCTestCase {
    /// 40 generated images of 10 classes (the synthetic drawer, no archive needed).
    private func images(count: Int = 40) -> LabeledImages {
        var rng = SplitMix64(seed: 11)
        var pixels = [UInt8](repeating: 0, count: count * 3072)
        let labels = (0..<count).map { $0 % 10 }
        for (i, label) in labels.enumerated() {
            SyntheticImages.draw(label: label, classCount: 10, rng: &rng, into: &pixels, offset: i * 3072)
        }
        return LabeledImages(pixels: pixels, labels: labels)
    }

    private func collect(_ loader: BatchLoader, epoch: Int) -> [Batch] {
        let batches = loader.epoch(epoch)
        var out: [Batch] = []
        while let batch = batches.next() { out.append(batch) }
        return out
    }

    func testSameSeedGivesIdenticalBatchesWhateverThePrefetchDepth() {
        let data = images()
        let a = BatchLoader(images: data, batchSize: 8, augmentation: .bce3s, order: .shuffled, seed: 3, prefetch: 1)
        let b = BatchLoader(images: data, batchSize: 8, augmentation: .bce3s, order: .shuffled, seed: 3, prefetch: 4)
        let first = collect(a, epoch: 2), second = collect(b, epoch: 2)
        XCTAssertEqual(first.map(\.images), second.map(\.images))
        XCTAssertEqual(first.map(\.labels), second.map(\.labels))
        XCTAssertNotEqual(collect(a, epoch: 3).map(\.positions), first.map(\.positions), "epochs differ")
        let otherSeed = BatchLoader(images: data, batchSize: 8, augmentation: .bce3s, order: .shuffled, seed: 4)
        XCTAssertNotEqual(collect(otherSeed, epoch: 2).map(\.images), first.map(\.images))
    }

    func testShuffledEpochVisitsEveryImageOnceAndKeepsLabels() {
        let data = images()
        let loader = BatchLoader(images: data, batchSize: 16, augmentation: .standard, order: .shuffled, seed: 1)
        let batches = collect(loader, epoch: 0)
        XCTAssertEqual(batches.map(\.count), [16, 16, 8])
        XCTAssertEqual(loader.batchesPerEpoch, 3)
        let positions = batches.flatMap(\.positions)
        XCTAssertEqual(positions.sorted(), Array(0..<40))
        XCTAssertNotEqual(positions, Array(0..<40))
        XCTAssertEqual(batches.flatMap(\.labels), positions.map { data.labels[$0] })
        let dropping = BatchLoader(images: data, batchSize: 16, augmentation: .standard, order: .shuffled, seed: 1, dropLast: true)
        XCTAssertEqual(collect(dropping, epoch: 0).map(\.count), [16, 16])
    }

    func testSequentialEvaluationIsJustNormalisation() {
        let data = images(count: 12)
        let loader = BatchLoader(images: data, batchSize: 5, augmentation: .evaluation, order: .sequential, seed: 0)
        let batches = collect(loader, epoch: 0)
        XCTAssertEqual(batches.flatMap(\.positions), Array(0..<12))
        let expected = Normalization.cifar.normalized(RGBImage(width: 32, height: 32, pixels: Array(data.pixels[3072..<6144])))
        XCTAssertEqual(Array(batches[0].images[3072..<6144]), expected)
    }

    func testRecycledBuffersAreReused() {
        let loader = BatchLoader(images: images(), batchSize: 4, augmentation: .standard, order: .shuffled, seed: 2, prefetch: 2)
        let epoch = loader.epoch(0)
        var addresses = Set<Int>()
        while var batch = epoch.next() {
            _ = batch.images.withUnsafeBufferPointer { addresses.insert(Int(bitPattern: $0.baseAddress)) }
            epoch.recycle(&batch)
            XCTAssertEqual(batch.count, 0)
        }
        XCTAssertLessThanOrEqual(addresses.count, 4, "at most prefetch + 2 buffers for 10 batches")
    }

    func testAbandonedEpochStopsItsWorker() {
        let loader = BatchLoader(images: images(), batchSize: 4, augmentation: .standard, order: .shuffled, seed: 2)
        var epoch: EpochBatches? = loader.epoch(0)
        XCTAssertNotNil(epoch?.next())
        epoch = nil   // must not hang or crash
        XCTAssertEqual(collect(loader, epoch: 0).count, 10)
    }

    func testInstanceSamplerFollowsClassPowerLaw() {
        let counts = [400, 100, 25]
        let labels = counts.enumerated().flatMap { c, n in [Int](repeating: c, count: n) }
        for rho in [0.0, 0.5, 1.0] {
            let sampler = InstanceSampler(labels: labels, classCount: 3, rho: rho)
            let mass = counts.map { pow(Double($0), 1 - rho) }
            let expected = mass.map { $0 / mass.reduce(0, +) }
            for (p, e) in zip(sampler.classProbabilities, expected) { XCTAssertEqual(p, e, accuracy: 1e-12) }
            var rng = SplitMix64(seed: 8)
            var seen = [0, 0, 0]
            for position in sampler.sample(count: 20000, rng: &rng) { seen[labels[position]] += 1 }
            for c in 0..<3 { XCTAssertEqual(Double(seen[c]) / 20000, expected[c], accuracy: 0.015, "rho \(rho) class \(c)") }
        }
        let loader = BatchLoader(images: images(), batchSize: 10, augmentation: .standard,
                                 order: .sampled(InstanceSampler(labels: images().labels, classCount: 10, rho: 1), count: 25), seed: 0)
        XCTAssertEqual(collect(loader, epoch: 0).map(\.count), [10, 10, 5])
    }
}
