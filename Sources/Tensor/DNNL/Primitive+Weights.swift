import CDNNL

extension Primitive {
    /// Convolution weights (a float32 OIHW tensor of `dims`) as this primitive reads argument
    /// `arg`: the tensor's own buffer when the primitive wants plain float32 OIHW, otherwise a
    /// copy reordered (and, for bf16 primitives, rounded) into the wanted layout and type, kept
    /// alive by the returned storage.
    func weights(_ weight: Tensor, dims: [Int], arg: Int32) -> (UnsafeMutableRawPointer, Storage?) {
        var wanted = descriptor(for: arg)
        var plain = Dnnl.descriptor(dims, dnnl_oihw)
        if dnnl_memory_desc_equal(&wanted, &plain) != 0 { return (UnsafeMutableRawPointer(weight.storage.pointer), nil) }
        let buffer = Storage(count: floatCount(for: arg), zeroed: false)
        Dnnl.reorder(from: plain, weight.storage.pointer, to: wanted, buffer.pointer)
        return (UnsafeMutableRawPointer(buffer.pointer), buffer)
    }
}
