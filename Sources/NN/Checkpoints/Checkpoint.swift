import Foundation
import Tensor

/// Model checkpoints as safetensors files that PyTorch loads with `load_state_dict(strict=True)`.
///
/// A model hands over its state as PyTorch names it: float tensors (parameters and buffers such
/// as `layer1.0.bn1.running_mean`) and int64 counters (`layer1.0.bn1.num_batches_tracked`).
/// Tensors are stored in logical row-major order whatever their physical layout.
public enum Checkpoint {
    /// Writes `tensors` and `counters` (int64 scalars) to `url` atomically. The metadata gets
    /// `"format": "pt"` so that tools built on the safetensors package treat it as PyTorch's.
    public static func save(_ tensors: [(name: String, tensor: Tensor)], counters: [String: Int64] = [:],
                            metadata: [String: String] = [:], to url: URL) throws {
        var file = SafeTensors(metadata: metadata.merging(["format": "pt"]) { mine, _ in mine }, source: url.path)
        for (name, tensor) in tensors {
            precondition(file.tensors[name] == nil, "Checkpoint: tensor name \(name) used twice")
            file.tensors[name] = SafeTensor(shape: tensor.shape, float32: tensor.scalars)
        }
        for (name, value) in counters {
            precondition(file.tensors[name] == nil, "Checkpoint: counter name \(name) is also a tensor name")
            file.tensors[name] = SafeTensor(shape: [], int64: [value])
        }
        try file.write(to: url)
    }

    /// Loads `url` into `tensors` in place, strictly: every tensor and every counter named in
    /// `counterNames` must be present with the right shape and dtype, and the file may hold
    /// nothing else. Nothing is modified unless everything matches. Returns the counters and
    /// the file's metadata.
    @discardableResult
    public static func load(into tensors: [(name: String, tensor: Tensor)], counterNames: [String] = [],
                            from url: URL) throws -> (counters: [String: Int64], metadata: [String: String]) {
        let file = try SafeTensors(contentsOf: url)
        try file.requireNoTensors(besides: Set(tensors.map(\.name) + counterNames))
        let values = try tensors.map { name, tensor in try file.float32(name, shape: tensor.shape) }
        var counters: [String: Int64] = [:]
        for name in counterNames {
            counters[name] = try file.int64(name, shape: [])[0]
        }
        for ((_, tensor), logical) in zip(tensors, values) {
            let source = Tensor(shape: tensor.shape, scalars: logical).converted(to: tensor.layout)
            source.withUnsafeScalars { from in
                tensor.withUnsafeMutableScalars { to in _ = to.update(fromContentsOf: from) }
            }
        }
        return (counters, file.metadata)
    }
}
