import Foundation

/// Throughput of the training transform, for `bce3s data bench` and `make bench`.
public enum LoaderBenchmark {
    public struct Result: Codable, Sendable {
        /// Images per second through crop + flip + AutoAugment + normalise + Cutout on the calling thread.
        public var augmentImagesPerSecondOneCore: Double
        /// Images per second delivered by a `BatchLoader` (one worker thread, consumer idle).
        public var loaderImagesPerSecond: Double
        public var images: Int
        public var batchSize: Int

        enum CodingKeys: String, CodingKey {
            case augmentImagesPerSecondOneCore = "augment_autoaugment_images_per_s_one_core"
            case loaderImagesPerSecond = "loader_images_per_s"
            case images
            case batchSize = "batch_size"
        }
    }

    /// Runs both measurements on `data` (e.g. generated images) with the `bce3s` augmentation.
    public static func run(data: LabeledImages, images: Int, batchSize: Int = 128, seed: UInt64 = 0) -> Result {
        let pipeline = AugmentationPipeline.bce3s
        let size = CIFARFormat.imageBytes, side = CIFARFormat.imageSide
        var output = [Float](repeating: 0, count: size)
        let start = DispatchTime.now().uptimeNanoseconds
        output.withUnsafeMutableBufferPointer { out in
            for i in 0..<images {
                let position = i % data.count
                let image = RGBImage(width: side, height: side,
                                     pixels: Array(data.pixels[position * size..<(position + 1) * size]))
                var rng = SplitMix64(seed: seed, stream: UInt64(i))
                pipeline.apply(image, rng: &rng, into: out.baseAddress!)
            }
        }
        let augmentSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        let sampler = InstanceSampler(labels: data.labels, classCount: (data.labels.max() ?? 0) + 1, rho: 0)
        let loader = BatchLoader(images: data, batchSize: batchSize, augmentation: pipeline,
                                 order: .sampled(sampler, count: images), seed: seed)
        let loaderStart = DispatchTime.now().uptimeNanoseconds
        let epoch = loader.epoch(0)
        var delivered = 0
        while var batch = epoch.next() {
            delivered += batch.count
            epoch.recycle(&batch)
        }
        let loaderSeconds = Double(DispatchTime.now().uptimeNanoseconds - loaderStart) / 1e9
        return Result(augmentImagesPerSecondOneCore: Double(images) / augmentSeconds,
                      loaderImagesPerSecond: Double(delivered) / loaderSeconds, images: images, batchSize: batchSize)
    }

    /// `count` generated 32×32 images of `classCount` classes, for benchmarking without data.
    public static func generatedImages(count: Int, classCount: Int = 10, seed: UInt64 = 0) -> LabeledImages {
        var rng = SplitMix64(seed: seed)
        var pixels = [UInt8](repeating: 0, count: count * CIFARFormat.imageBytes)
        let labels = (0..<count).map { $0 % classCount }
        for (i, label) in labels.enumerated() {
            SyntheticImages.draw(label: label, classCount: classCount, rng: &rng, into: &pixels, offset: i * CIFARFormat.imageBytes)
        }
        return LabeledImages(pixels: pixels, labels: labels)
    }
}
