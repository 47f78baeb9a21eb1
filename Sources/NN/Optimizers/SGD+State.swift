import Foundation
import Tensor

extension SGD {
    /// Suffix of a momentum buffer's tensor name, after the parameter's name (PyTorch's key).
    public static let momentumBufferSuffix = ".momentum_buffer"

    /// The optimiser state to save beside a checkpoint: every existing momentum buffer as a
    /// float32 tensor `<parameter>.momentum_buffer` (logical row-major order), and the
    /// hyper-parameters that shape it in the metadata.
    public func state() -> SafeTensors {
        var tensors: [String: SafeTensor] = [:]
        for (g, group) in groups.enumerated() {
            for (i, parameter) in group.parameters.enumerated() {
                guard let buffer = momentumBuffers[g][i] else { continue }
                tensors[parameter.name + Self.momentumBufferSuffix] = SafeTensor(shape: buffer.shape, float32: buffer.scalars)
            }
        }
        return SafeTensors(tensors: tensors, metadata: stateMetadata)
    }

    /// Restores momentum buffers saved by `state()`, so that the following steps are
    /// bit-identical to an uninterrupted run. A parameter without a saved buffer starts fresh,
    /// as in PyTorch; a buffer for an unknown parameter, a shape mismatch or a state saved with
    /// other momentum settings is an error naming the file and the tensor.
    public func loadState(_ state: SafeTensors) throws {
        for (key, expected) in stateMetadata where state.metadata[key] != expected {
            throw SafeTensorsError(.badHeader, file: state.source,
                                   "optimiser state has \(key) = \(state.metadata[key] ?? "nothing"), this optimiser \(expected)")
        }
        let names = groups.flatMap { $0.parameters.map { $0.name + Self.momentumBufferSuffix } }
        try state.requireNoTensors(besides: Set(names))
        var restored = momentumBuffers
        for (g, group) in groups.enumerated() {
            for (i, parameter) in group.parameters.enumerated() {
                let name = parameter.name + Self.momentumBufferSuffix
                guard state.tensors[name] != nil else {
                    restored[g][i] = nil
                    continue
                }
                let p = parameter.tensor
                let values = try state.float32(name, shape: p.shape)
                restored[g][i] = Tensor(shape: p.shape, scalars: values).converted(to: p.layout)
            }
        }
        momentumBuffers = restored
    }

    private var stateMetadata: [String: String] {
        ["optimizer": "SGD", "momentum": "\(momentum)", "nesterov": "\(nesterov)"]
    }
}
