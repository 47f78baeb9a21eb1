/// Penultimate-layer features of N samples with their class labels: the input of every
/// geometry figure. Features are `[Float]` row-major `N × d`; sums are taken in `Double`.
public struct LabelledFeatures {
    /// An inconsistent feature set, naming the field and what was expected.
    public struct InputError: Error, CustomStringConvertible {
        public let field: String
        public let expected: String
        public let found: String
        public var description: String { "field '\(field)': expected \(expected), found \(found)" }
    }

    public let values: [Float]
    public let count: Int
    public let dimension: Int
    public let labels: [Int]
    public let classCount: Int
    /// Samples per class, `n_c`.
    public let classCounts: [Int]
    /// Class means μ_c (`K × d`, row-major).
    public let classMeans: [Double]
    /// Class means centred on their average μ̄ = (1/K) Σ_c μ_c (`K × d`).
    ///
    /// The class-balanced μ̄ rather than the sample mean: under imbalance the sample mean
    /// is pulled toward the head classes, while centring on μ̄ makes a simplex ETF of
    /// means come out exactly (cosines −1/(K−1)) whatever the class sizes.
    public let centredMeans: [Double]

    /// Validates the shapes: `values.count == labels.count × dimension`, labels in
    /// `0..<classCount`, every class present at least once.
    public init(values: [Float], dimension: Int, labels: [Int], classCount: Int) throws {
        guard dimension > 0, values.count == labels.count * dimension else {
            throw InputError(field: "features", expected: "\(labels.count) × \(dimension) values (one row per label)",
                             found: "\(values.count) values")
        }
        if let index = labels.firstIndex(where: { $0 < 0 }) {   // before the count, which the largest label may set
            throw InputError(field: "labels[\(index)]", expected: "a class index ≥ 0", found: "\(labels[index])")
        }
        guard classCount >= 2 else {
            throw InputError(field: "classes", expected: "at least 2 classes", found: "\(classCount)")
        }
        var counts = [Int](repeating: 0, count: classCount)
        for (index, label) in labels.enumerated() {
            guard label >= 0, label < classCount else {
                throw InputError(field: "labels[\(index)]", expected: "a class in 0..<\(classCount)", found: "\(label)")
            }
            counts[label] += 1
        }
        if let empty = counts.firstIndex(of: 0) {
            throw InputError(field: "labels", expected: "at least one sample of every class", found: "no sample of class \(empty)")
        }
        self.values = values
        self.count = labels.count
        self.dimension = dimension
        self.labels = labels
        self.classCount = classCount
        self.classCounts = counts
        var means = [Double](repeating: 0, count: classCount * dimension)
        for i in 0..<labels.count {
            let row = labels[i] * dimension
            for j in 0..<dimension { means[row + j] += Double(values[i * dimension + j]) }
        }
        for c in 0..<classCount { for j in 0..<dimension { means[c * dimension + j] /= Double(counts[c]) } }
        self.classMeans = means
        var centre = [Double](repeating: 0, count: dimension)
        for c in 0..<classCount { for j in 0..<dimension { centre[j] += means[c * dimension + j] / Double(classCount) } }
        self.centredMeans = means.indices.map { means[$0] - centre[$0 % dimension] }
    }

    /// Row `i` of the features.
    func feature(_ i: Int) -> ArraySlice<Float> { values[(i * dimension)..<((i + 1) * dimension)] }

    /// Row `c` of a `K × d` matrix.
    func row(_ matrix: [Double], _ c: Int) -> ArraySlice<Double> { matrix[(c * dimension)..<((c + 1) * dimension)] }
}

/// Cosine of two vectors; 0 when either is the zero vector (a dead-ReLU feature has no direction).
func cosine<A: Collection, B: Collection>(_ a: A, _ b: B) -> Double
where A.Element: BinaryFloatingPoint, B.Element: BinaryFloatingPoint {
    var dot = 0.0, na = 0.0, nb = 0.0
    for (x, y) in zip(a, b) {
        let u = Double(x), v = Double(y)
        dot += u * v; na += u * u; nb += v * v
    }
    return na > 0 && nb > 0 ? dot / (na * nb).squareRoot() : 0
}

/// Euclidean norm.
func norm<A: Collection>(_ a: A) -> Double where A.Element: BinaryFloatingPoint {
    a.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
}

/// Mean and population standard deviation (ddof 0, like NumPy's default) of `values`.
public struct MeanStd: Equatable, Codable {
    public let mean: Double
    public let std: Double
    public let count: Int

    public init<S: Sequence>(_ values: S) where S.Element == Double {
        let array = Array(values)
        count = array.count
        mean = array.isEmpty ? .nan : array.reduce(0, +) / Double(array.count)
        let m = mean
        std = array.isEmpty ? .nan : (array.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(array.count)).squareRoot()
    }
}

/// Cosines of all pairs `j < k` of the rows of a `K × d` matrix.
func pairwiseCosines(_ rows: [Double], count k: Int, dimension d: Int) -> [[Double]] {
    (0..<k).map { a in (0..<k).map { b in cosine(rows[(a * d)..<((a + 1) * d)], rows[(b * d)..<((b + 1) * d)]) } }
}
