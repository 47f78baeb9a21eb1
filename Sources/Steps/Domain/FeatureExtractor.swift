import Foundation
import Datasets
import NN
import Tensor

/// Penultimate features of a trained backbone, in eval mode (running BN statistics), for the
/// analysis step: loads the backbone part of a `model.safetensors` written by the trainer (the
/// head and projection tensors in the same file are read separately, not loaded).
struct FeatureExtractor {
    let backbone: ResNet
    /// The classifier matrix ([K, d], row-major) if the file has one: `linear.weight` (LDAM-DRW's
    /// name, written for the CIFAR ResNets) or `classifier.weight` (ResNet-34-CIFAR, and files
    /// written before the head took LDAM-DRW's name).
    let classifierWeights: [Float]?

    /// `model` is the architecture the weights in `url` were trained with.
    init(model: Backbone, weights url: URL) throws {
        backbone = ResNet(model.configuration, seed: 0)
        let file = try SafeTensors(contentsOf: url)
        let backboneNames = Set(backbone.stateTensors.map(\.name) + backbone.batchNormCounters.keys)
        // Everything else in the file (head, projection, memory) gets a placeholder of its own shape,
        // so that the strict loader accepts the file while only the backbone is used.
        let others = file.tensors.filter { !backboneNames.contains($0.key) && $0.value.dtype == .float32 }
            .map { (name: $0.key, tensor: Tensor(shape: $0.value.shape, scalars: [Float](repeating: 0, count: $0.value.elementCount))) }
        try Checkpoint.load(into: backbone, head: others, from: url)
        let headWeight = ["linear.weight", "classifier.weight"].first { file.tensors[$0] != nil }
        classifierWeights = headWeight.flatMap { name in try? file.float32(name, shape: file.tensors[name]!.shape) }
    }

    /// Features of every image, `[images.count × featureDimension]` row-major, in image order.
    func features(of images: LabeledImages, batchSize: Int = 500) -> [Float] {
        let loader = BatchLoader(images: images, batchSize: batchSize, augmentation: .evaluation, order: .sequential, seed: 0)
        var out: [Float] = []
        out.reserveCapacity(images.count * backbone.featureDimension)
        let batches = loader.epoch(0)
        while var batch = batches.next() {
            Tensor.withoutRecording {
                out += backbone(Tensor(shape: [batch.count, 3, 32, 32], scalars: batch.images), training: false).scalars
            }
            batches.recycle(&batch)
        }
        return out
    }
}
