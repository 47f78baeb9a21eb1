import Foundation
import Tensor

extension Checkpoint {
    /// Saves a ResNet backbone and the tensors of whatever sits on it (a head's `linear.weight`
    /// and `linear.bias`, under the names PyTorch's full model uses) as one checkpoint: the
    /// backbone's parameters, running statistics and `num_batches_tracked` counters.
    public static func save(_ backbone: ResNet, head: [(name: String, tensor: Tensor)] = [],
                            metadata: [String: String] = [:], to url: URL) throws {
        try save(backbone.stateTensors + head, counters: backbone.batchNormCounters, metadata: metadata, to: url)
    }

    /// Loads a checkpoint written by `save(_:head:metadata:to:)` — or by PyTorch for the same
    /// architecture — into `backbone` and `head` in place, strictly and all-or-nothing; returns
    /// the file's metadata.
    @discardableResult
    public static func load(into backbone: ResNet, head: [(name: String, tensor: Tensor)] = [],
                            from url: URL) throws -> [String: String] {
        let (counters, metadata) = try load(into: backbone.stateTensors + head,
                                            counterNames: backbone.batchNormCounters.keys.sorted(), from: url)
        backbone.batchNormCounters = counters
        return metadata
    }
}
