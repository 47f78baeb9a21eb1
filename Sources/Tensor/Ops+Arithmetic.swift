/// Element-wise arithmetic with broadcasting (row `[K]`, column `[N, 1]`, scalar `[]`, …).
extension Tensor {
    /// Applies `f` element-wise to `a` and `b` broadcast together (no recording).
    /// Equal shapes and layouts run on the physical buffers and keep the layout.
    static func zipMap(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape, a.layout == b.layout {
            let out = Tensor(uninitializedShape: a.shape, layout: a.layout)
            let (x, y, z) = (a.storage.pointer, b.storage.pointer, out.storage.pointer)
            for i in 0..<a.count { z[i] = f(x[i], y[i]) }
            return out
        }
        let (a, b) = (a.standardized(), b.standardized())
        let shape = Broadcast.shape(a.shape, b.shape)
        let out = Tensor(uninitializedShape: shape)
        let (x, y, z) = (a.storage.pointer, b.storage.pointer, out.storage.pointer)
        Broadcast.forEach(shape, Broadcast.strides(of: a.shape, in: shape), Broadcast.strides(of: b.shape, in: shape)) {
            o, i, j in z[o] = f(x[i], y[j])
        }
        return out
    }

    /// Applies `f` element-wise, keeping shape and layout (no recording).
    static func map(_ a: Tensor, _ f: (Float) -> Float) -> Tensor {
        let out = Tensor(uninitializedShape: a.shape, layout: a.layout)
        let (x, z) = (a.storage.pointer, out.storage.pointer)
        for i in 0..<a.count { z[i] = f(x[i]) }
        return out
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor {
        // Same-shape activations (residual joins, gradient sums) take oneDNN's parallel kernel.
        let sum = a.rank == 4 && a.shape == b.shape && a.layout == b.layout ? SumPlan.plan(a, relu: false).run(a, b) : zipMap(a, b, +)
        return record(sum, inputs: [a, b]) { g, _ in
            [Broadcast.reduce(g, to: a.shape), Broadcast.reduce(g, to: b.shape)]
        }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        record(zipMap(a, b, -), inputs: [a, b]) { g, _ in
            [Broadcast.reduce(g, to: a.shape), Broadcast.reduce(-g, to: b.shape)]
        }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        record(zipMap(a, b, *), inputs: [a, b]) { g, _ in
            [a.requiresGrad ? Broadcast.reduce(g * b, to: a.shape) : nil,
             b.requiresGrad ? Broadcast.reduce(g * a, to: b.shape) : nil]
        }
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        record(zipMap(a, b, /), inputs: [a, b]) { g, out in
            [a.requiresGrad ? Broadcast.reduce(g / b, to: a.shape) : nil,
             b.requiresGrad ? Broadcast.reduce(-(g * out / b), to: b.shape) : nil]
        }
    }

    public static prefix func - (a: Tensor) -> Tensor {
        record(map(a) { -$0 }, inputs: [a]) { g, _ in [-g] }
    }

    public static func + (a: Tensor, s: Float) -> Tensor { a + Tensor(s) }
    public static func + (s: Float, a: Tensor) -> Tensor { Tensor(s) + a }
    public static func - (a: Tensor, s: Float) -> Tensor { a - Tensor(s) }
    public static func - (s: Float, a: Tensor) -> Tensor { Tensor(s) - a }
    public static func * (a: Tensor, s: Float) -> Tensor { a * Tensor(s) }
    public static func * (s: Float, a: Tensor) -> Tensor { Tensor(s) * a }
    public static func / (a: Tensor, s: Float) -> Tensor { a / Tensor(s) }
    public static func / (s: Float, a: Tensor) -> Tensor { Tensor(s) / a }
}
