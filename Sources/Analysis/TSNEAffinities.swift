import Foundation
import Tensor

/// The symmetric input affinities P of t-SNE on a k-nearest-neighbour graph, in CSR form:
/// row i lists the j with P_ij > 0. Σ_ij P_ij = 1.
struct TSNEAffinities {
    let rowStart: [Int]
    let columns: [Int32]
    let values: [Double]

    /// Exact k-NN (k = min(3·perplexity, N−1)) on `points` (`N × d`), Gaussian conditionals
    /// p_j|i calibrated by bisection so that each row has the given perplexity (on squared
    /// distances, as openTSNE), then P = (P_cond + P_condᵀ) / (2N).
    init(points: [Float], count n: Int, dimension d: Int, perplexity: Double) {
        let k = min(Int((3 * perplexity).rounded(.up)), n - 1)
        let (neighbours, distances) = Self.nearestNeighbours(points, count: n, dimension: d, k: k)
        var conditional = [Double](repeating: 0, count: n * k)
        conditional.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            forEachChunk(n) { rows in
                for i in rows {
                    let row = Self.calibratedRow(Array(distances[(i * k)..<((i + 1) * k)]), perplexity: min(perplexity, Double(k)))
                    for j in 0..<k { out[i * k + j] = row[j] }
                }
            }
        }
        // Symmetrise: row i holds its own neighbours and every point that has i as a neighbour.
        var counts = [Int](repeating: k, count: n)
        for index in 0..<(n * k) { counts[Int(neighbours[index])] += 1 }
        var start = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { start[i + 1] = start[i] + counts[i] }
        var fill = Array(start.dropLast())
        var rawColumns = [Int32](repeating: 0, count: start[n])
        var rawValues = [Double](repeating: 0, count: start[n])
        for i in 0..<n {
            for slot in 0..<k {
                let j = Int(neighbours[i * k + slot]), p = conditional[i * k + slot] / Double(2 * n)
                rawColumns[fill[i]] = Int32(j); rawValues[fill[i]] = p; fill[i] += 1
                rawColumns[fill[j]] = Int32(i); rawValues[fill[j]] = p; fill[j] += 1
            }
        }
        // Sort each row by column and merge the pairs present in both directions.
        var rowStart = [0], columns: [Int32] = [], values: [Double] = []
        columns.reserveCapacity(start[n]); values.reserveCapacity(start[n])
        for i in 0..<n {
            let entries = (start[i]..<start[i + 1]).sorted { rawColumns[$0] < rawColumns[$1] }
            for entry in entries {
                if columns.count > rowStart[i], columns.last == rawColumns[entry] {
                    values[values.count - 1] += rawValues[entry]
                } else {
                    columns.append(rawColumns[entry]); values.append(rawValues[entry])
                }
            }
            rowStart.append(columns.count)
        }
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
    }

    /// The k nearest other points of every point and their squared distances, ascending
    /// (ties broken by index). Distances come from ‖a‖² + ‖b‖² − 2a·b with the products by
    /// `sgemm` in blocks of rows.
    static func nearestNeighbours(_ points: [Float], count n: Int, dimension d: Int, k: Int) -> ([Int32], [Float]) {
        let all = Tensor(shape: [n, d], scalars: points)
        let squaredNorms = (0..<n).map { i in (0..<d).reduce(Float(0)) { $0 + points[i * d + $1] * points[i * d + $1] } }
        var neighbours = [Int32](repeating: 0, count: n * k)
        var distances = [Float](repeating: 0, count: n * k)
        let block = 512
        for first in stride(from: 0, to: n, by: block) {
            let rows = first..<min(first + block, n)
            let slice = Tensor(shape: [rows.count, d], scalars: Array(points[(first * d)..<(rows.upperBound * d)]))
            let products = Tensor.linear(slice, weight: all).scalars  // [rows, N]
            neighbours.withUnsafeMutableBufferPointer { neighbourBuffer in
                distances.withUnsafeMutableBufferPointer { distanceBuffer in
                    let (outIndex, outDistance) = (neighbourBuffer, distanceBuffer)
                    forEachChunk(rows.count, chunks: 4) { local in
                        for r in local {
                            let i = first + r
                            var heap = NeighbourHeap(capacity: k)
                            for j in 0..<n where j != i {
                                heap.offer(max(0, squaredNorms[i] + squaredNorms[j] - 2 * products[r * n + j]), Int32(j))
                            }
                            for (slot, entry) in heap.sorted().enumerated() {
                                outIndex[i * k + slot] = entry.index
                                outDistance[i * k + slot] = entry.distance
                            }
                        }
                    }
                }
            }
        }
        return (neighbours, distances)
    }

    /// p_j|i ∝ exp(−β d_ij) with β found by bisection so that exp(entropy) = perplexity.
    static func calibratedRow(_ distances: [Float], perplexity: Double) -> [Double] {
        let target = log(perplexity)
        let d = distances.map(Double.init)
        let nearest = d.min() ?? 0
        var beta = 1.0, low = 0.0, high = Double.infinity
        var p = [Double](repeating: 0, count: d.count)
        for _ in 0..<200 {
            var sum = 0.0, weighted = 0.0
            for j in d.indices { p[j] = exp(-beta * (d[j] - nearest)); sum += p[j]; weighted += p[j] * (d[j] - nearest) }
            let entropy = log(sum) + beta * weighted / sum
            if abs(entropy - target) < 1e-8 { break }
            if entropy > target { low = beta; beta = high.isInfinite ? beta * 2 : (beta + high) / 2 }
            else { high = beta; beta = (beta + low) / 2 }
        }
        let sum = p.reduce(0, +)
        return p.map { $0 / sum }
    }
}

/// A bounded max-heap keeping the k smallest (distance, index) pairs seen.
struct NeighbourHeap {
    struct Entry { var distance: Float; var index: Int32 }
    private var entries: [Entry] = []
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity; entries.reserveCapacity(capacity) }

    private static func before(_ a: Entry, _ b: Entry) -> Bool {
        a.distance < b.distance || (a.distance == b.distance && a.index < b.index)
    }

    mutating func offer(_ distance: Float, _ index: Int32) {
        let entry = Entry(distance: distance, index: index)
        if entries.count < capacity {
            entries.append(entry)
            var child = entries.count - 1
            while child > 0, Self.before(entries[(child - 1) / 2], entries[child]) {
                entries.swapAt(child, (child - 1) / 2); child = (child - 1) / 2
            }
        } else if Self.before(entry, entries[0]) {
            entries[0] = entry
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var largest = parent
                if left < capacity, Self.before(entries[largest], entries[left]) { largest = left }
                if right < capacity, Self.before(entries[largest], entries[right]) { largest = right }
                if largest == parent { break }
                entries.swapAt(parent, largest); parent = largest
            }
        }
    }

    func sorted() -> [Entry] { entries.sorted(by: Self.before) }
}
