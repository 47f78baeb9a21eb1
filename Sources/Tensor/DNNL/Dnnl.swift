import CDNNL
import Foundation

/// The process's oneDNN CPU engine and stream, memory descriptors for tensors, and a
/// cache of primitives keyed by what they compute (op, shapes, layouts, attributes).
enum Dnnl {
    static let engine: dnnl_engine_t = {
        var engine: dnnl_engine_t?
        check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine_create")
        return engine!
    }()

    static let stream: dnnl_stream_t = {
        var stream: dnnl_stream_t?
        check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue), "stream_create")
        return stream!
    }()

    /// A failed oneDNN call is a bug in how we call it (shapes were checked before): stop with its name.
    static func check(_ status: dnnl_status_t, _ call: @autoclosure () -> String) {
        if status != dnnl_success { fatalError("oneDNN \(call()) failed with status \(status.rawValue)") }
    }

    /// oneDNN format tag of a layout for a tensor of `rank` dimensions.
    static func tag(_ layout: Layout, rank: Int) -> dnnl_format_tag_t {
        switch (layout, rank) {
        case (.channelsLast, 4): return dnnl_nhwc
        case (.blocked16, 4): return dnnl_nChw16c
        case (_, 1): return dnnl_a
        case (_, 2): return dnnl_ab
        case (_, 3): return dnnl_abc
        default: return dnnl_abcd
        }
    }

    /// A memory descriptor for `dims` in format `tag` (`dnnl_format_tag_any` lets a primitive
    /// choose) holding `type` elements (f32 unless said otherwise).
    static func descriptor(_ dims: [Int], _ tag: dnnl_format_tag_t, _ type: dnnl_data_type_t = dnnl_f32) -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        let d = dims.map { dnnl_dim_t($0) }
        check(dnnl_memory_desc_init_by_tag(&md, Int32(d.count), d, type, tag), "memory_desc_init_by_tag \(dims)")
        return md
    }

    /// The oneDNN element type of the convolution operands (input, weights, output gradient) in `precision`.
    static func operandType(_ precision: Precision) -> dnnl_data_type_t {
        precision == .bf16 ? dnnl_bf16 : dnnl_f32
    }

    /// The memory descriptor of `tensor` as it sits in memory.
    static func descriptor(_ tensor: Tensor) -> dnnl_memory_desc_t {
        descriptor(tensor.shape, tag(tensor.layout, rank: tensor.rank))
    }

    private static var cache: [CacheKey: AnyObject] = [:]
    private static let lock = NSLock()

    /// The object cached under `key` (a primitive or an op's plan), made by `make` the first time.
    static func cached<T: AnyObject>(_ key: CacheKey, _ make: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        if let hit = cache[key] { return hit as! T }
        let made = make()
        cache[key] = made
        return made
    }

    /// The cached primitive for `key`; `make` returns its primitive descriptor the first time.
    static func primitive(_ key: CacheKey, _ make: () -> dnnl_primitive_desc_t) -> Primitive {
        cached(key) { Primitive(descriptor: make()) }
    }

    /// A primitive descriptor for `opDescriptor` (a `dnnl_*_desc_t`), optionally hinted by a forward one.
    static func primitiveDescriptor<D>(_ opDescriptor: inout D, hint: Primitive? = nil,
                                       attributes: dnnl_primitive_attr_t? = nil) -> dnnl_primitive_desc_t {
        var pd: dnnl_primitive_desc_t?
        let status = withUnsafeMutableBytes(of: &opDescriptor) {
            dnnl_primitive_desc_create(&pd, $0.baseAddress, attributes, engine, hint?.descriptor)
        }
        check(status, "primitive_desc_create \(D.self)")
        return pd!
    }

    /// A reorder between two memory descriptors (layout conversion), cached.
    static func reorder(from source: dnnl_memory_desc_t, _ src: UnsafeMutableRawPointer,
                        to destination: dnnl_memory_desc_t, _ dst: UnsafeMutableRawPointer) {
        var (s, d) = (source, destination)
        let p = primitive(CacheKey("reorder", descriptors: [s, d])) {
            var pd: dnnl_primitive_desc_t?
            check(dnnl_reorder_primitive_desc_create(&pd, &s, engine, &d, engine, nil), "reorder_primitive_desc_create")
            return pd!
        }
        p.execute([(DNNL_ARG_FROM, src), (DNNL_ARG_TO, dst)])
    }
}

/// Identifies a primitive: an op name, the raw bytes of its memory descriptors and any numbers.
struct CacheKey: Hashable {
    let op: String
    let bytes: [UInt8]
    let numbers: [Int]

    init(_ op: String, descriptors: [dnnl_memory_desc_t] = [], numbers: [Int] = []) {
        self.op = op
        var bytes: [UInt8] = []
        for var md in descriptors { withUnsafeBytes(of: &md) { bytes.append(contentsOf: $0) } }
        self.bytes = bytes
        self.numbers = numbers
    }
}

/// A created oneDNN primitive with one reusable memory object per execution argument, so
/// executing it only swaps data pointers.
final class Primitive {
    let descriptor: dnnl_primitive_desc_t
    private let primitive: dnnl_primitive_t
    private var memories: [Int32: dnnl_memory_t] = [:]
    /// What `OpProfile` charges an execution to: kind, propagation (if any) and implementation,
    /// e.g. `convolution backward_data jit:avx512_core`.
    let label: String

    init(descriptor: dnnl_primitive_desc_t) {
        self.descriptor = descriptor
        var p: dnnl_primitive_t?
        Dnnl.check(dnnl_primitive_create(&p, descriptor), "primitive_create")
        primitive = p!
        label = Self.label(of: descriptor)
    }

    private static func label(of descriptor: dnnl_primitive_desc_t) -> String {
        var kind = dnnl_undefined_primitive, propagation = dnnl_prop_kind_undef
        var implementation: UnsafePointer<CChar>?
        _ = dnnl_primitive_desc_query(descriptor, dnnl_query_primitive_kind, 0, &kind)
        let hasPropagation = dnnl_primitive_desc_query(descriptor, dnnl_query_prop_kind, 0, &propagation) == dnnl_success
        _ = dnnl_primitive_desc_query(descriptor, dnnl_query_impl_info_str, 0, &implementation)
        var words = [String(cString: dnnl_prim_kind2str(kind))]
        if hasPropagation && propagation != dnnl_prop_kind_undef { words.append(String(cString: dnnl_prop_kind2str(propagation))) }
        if let implementation { words.append(String(cString: implementation)) }
        return words.joined(separator: " ")
    }

    /// The memory descriptor the primitive expects for execution argument `arg`.
    func descriptor(for arg: Int32) -> dnnl_memory_desc_t {
        dnnl_primitive_desc_query_md(descriptor, dnnl_query_exec_arg_md, arg).pointee
    }

    /// Size in floats (rounded up) of the buffer for argument `arg`.
    func floatCount(for arg: Int32) -> Int {
        var md = descriptor(for: arg)
        return (dnnl_memory_desc_get_size(&md) + 3) / 4
    }

    /// Runs the primitive on the given argument buffers and waits for it.
    func execute(_ arguments: [(Int32, UnsafeMutableRawPointer)]) {
        var args: [dnnl_exec_arg_t] = []
        args.reserveCapacity(arguments.count)
        for (arg, pointer) in arguments {
            let memory = memories[arg] ?? {
                var md = descriptor(for: arg)
                var m: dnnl_memory_t?
                Dnnl.check(dnnl_memory_create(&m, &md, Dnnl.engine, pointer), "memory_create arg \(arg)")
                memories[arg] = m!
                return m!
            }()
            Dnnl.check(dnnl_memory_set_data_handle_v2(memory, pointer, Dnnl.stream), "set_data_handle arg \(arg)")
            args.append(dnnl_exec_arg_t(arg: arg, memory: memory))
        }
        OpProfile.measure(label) {
            Dnnl.check(dnnl_primitive_execute(primitive, Dnnl.stream, Int32(args.count), args), "primitive_execute")
            Dnnl.check(dnnl_stream_wait(Dnnl.stream), "stream_wait")
        }
    }
}
