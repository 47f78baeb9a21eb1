import Tensor

/// What a loss is asked to predict for each sample of a batch.
public enum Targets {
    /// One class per sample (one-hot targets).
    case labels([Int])
    /// A constant `[N, K]` matrix of target weights per class, e.g. `λ·y + (1−λ)·y₂` after mixing.
    case soft(Tensor)

    /// Number of samples N.
    public var count: Int {
        switch self {
        case .labels(let labels): return labels.count
        case .soft(let matrix): return matrix.shape[0]
        }
    }

    /// The `[N, K]` target matrix (one-hot for labels); constant, no graph.
    public func matrix(classCount k: Int) -> Tensor {
        switch self {
        case .labels(let labels): return Tensor.oneHot(labels: labels, classes: k)
        case .soft(let matrix):
            precondition(matrix.shape.count == 2 && matrix.shape[1] == k,
                         "Targets: soft targets of shape \(matrix.shape) for \(k) classes")
            return matrix.detached()
        }
    }

    /// The mixed targets `λ·onehot(a) + (1−λ)·onehot(b)` of a mixup / CutMix batch.
    public static func mixed(_ a: [Int], _ b: [Int], lambda: Float, classCount k: Int) -> Targets {
        precondition(a.count == b.count, "Targets.mixed: \(a.count) labels mixed with \(b.count)")
        var values = [Float](repeating: 0, count: a.count * k)
        for i in a.indices {
            values[i * k + a[i]] += lambda
            values[i * k + b[i]] += 1 - lambda
        }
        return .soft(Tensor(shape: [a.count, k], scalars: values))
    }
}
