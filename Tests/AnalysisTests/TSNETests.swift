import Foundation
import Tensor
import XCTest
@testable import Analysis

final class TSNETests: XCTestCase {
    /// `classes` Gaussian blobs of `perClass` points in `d` dimensions, centres 20σ apart.
    static func blobs(classes: Int, perClass: Int, dimension d: Int, seed: UInt64) -> ([Float], [Int]) {
        var generator = SeededGenerator(seed: seed)
        let centres = (0..<classes).map { _ in (0..<d).map { _ in 20 * generator.nextNormal() } }
        var points: [Float] = [], labels: [Int] = []
        for c in 0..<classes { for _ in 0..<perClass { points += centres[c].map { $0 + generator.nextNormal() }; labels.append(c) } }
        return (points, labels)
    }

    static var shortRun: TSNE.Configuration {
        var configuration = TSNE.Configuration()
        configuration.perplexity = 10
        configuration.earlyExaggerationIterations = 100
        configuration.iterations = 150
        configuration.reportEvery = 50
        return configuration
    }

    /// Fraction of each point's `k` nearest embedded neighbours that share its label.
    static func neighbourPurity(_ y: [Float], labels: [Int], k: Int) -> Double {
        let n = labels.count
        var agreeing = 0
        for i in 0..<n {
            let order = (0..<n).filter { $0 != i }.sorted {
                hypot(y[2 * $0] - y[2 * i], y[2 * $0 + 1] - y[2 * i + 1]) < hypot(y[2 * $1] - y[2 * i], y[2 * $1 + 1] - y[2 * i + 1])
            }
            agreeing += order.prefix(k).filter { labels[$0] == labels[i] }.count
        }
        return Double(agreeing) / Double(n * k)
    }

    func testSeparatedClustersStayApartAndKLFalls() throws {
        let (points, labels) = Self.blobs(classes: 4, perClass: 50, dimension: 60, seed: 1)
        let result = try TSNE(Self.shortRun).embed(points, count: labels.count, dimension: 60)
        XCTAssertEqual(result.coordinates.count, 2 * labels.count)
        XCTAssertGreaterThan(Self.neighbourPurity(result.coordinates, labels: labels, k: 10), 0.98)
        // Every cluster's centroid is farther from the others than its own spread.
        let centroids = (0..<4).map { c in
            let members = labels.indices.filter { labels[$0] == c }
            return (members.map { Double(result.coordinates[2 * $0]) }.reduce(0, +) / Double(members.count),
                    members.map { Double(result.coordinates[2 * $0 + 1]) }.reduce(0, +) / Double(members.count))
        }
        for a in 0..<4 { for b in (a + 1)..<4 {
            XCTAssertGreaterThan(hypot(centroids[a].0 - centroids[b].0, centroids[a].1 - centroids[b].1), 1)
        } }
        XCTAssertEqual(result.history.map(\.iteration), [50, 100, 150, 200, 250])
        XCTAssertLessThan(result.klDivergence, result.history[0].kl)
        XCTAssertGreaterThan(result.klDivergence, 0)
    }

    func testSameSeedGivesBitIdenticalEmbeddings() throws {
        let (points, labels) = Self.blobs(classes: 3, perClass: 30, dimension: 8, seed: 2)
        var configuration = Self.shortRun
        configuration.iterations = 40
        let first = try TSNE(configuration).embed(points, count: labels.count, dimension: 8)
        let second = try TSNE(configuration).embed(points, count: labels.count, dimension: 8)
        XCTAssertEqual(first.coordinates, second.coordinates)
        XCTAssertEqual(first.klDivergence, second.klDivergence)
        configuration.seed = 7
        XCTAssertNotEqual(try TSNE(configuration).embed(points, count: labels.count, dimension: 8).coordinates, first.coordinates)
    }

    func testCalibratedRowsHaveTheRequestedPerplexity() {
        let distances: [Float] = (1...30).map { Float($0) * 0.37 }
        for perplexity in [2.0, 5, 12] {
            let p = TSNEAffinities.calibratedRow(distances, perplexity: perplexity)
            let entropy = -p.reduce(0) { $0 + ($1 > 0 ? $1 * log($1) : 0) }
            XCTAssertEqual(exp(entropy), perplexity, accuracy: 1e-5)
            XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-12)
        }
    }

    func testNearestNeighboursMatchBruteForce() {
        let (points, _) = Self.blobs(classes: 2, perClass: 20, dimension: 5, seed: 3)
        let (neighbours, distances) = TSNEAffinities.nearestNeighbours(points, count: 40, dimension: 5, k: 6)
        for i in 0..<40 {
            let exact = (0..<40).filter { $0 != i }.map { j in
                (j, (0..<5).reduce(Float(0)) { $0 + (points[i * 5 + $1] - points[j * 5 + $1]) * (points[i * 5 + $1] - points[j * 5 + $1]) })
            }.sorted { $0.1 < $1.1 }
            XCTAssertEqual(Set(neighbours[(i * 6)..<(i * 6 + 6)].map(Int.init)), Set(exact.prefix(6).map(\.0)))
            XCTAssertEqual(distances[i * 6 + 5], exact[5].1, accuracy: 1e-2 * exact[5].1)
        }
    }

    /// With θ = 0 the tree is exact, so 4 × the gradient must match finite differences of
    /// KL(P‖Q) computed by brute force.
    func testExactGradientMatchesFiniteDifferences() {
        let (points, _) = Self.blobs(classes: 3, perClass: 8, dimension: 4, seed: 4)
        let n = 24
        let affinities = TSNEAffinities(points: points, count: n, dimension: 4, perplexity: 5)
        XCTAssertEqual(affinities.values.reduce(0, +), 1, accuracy: 1e-9)
        var generator = SeededGenerator(seed: 5)
        let y = (0..<(2 * n)).map { _ in Double(generator.nextNormal()) }
        func kl(_ y: [Double]) -> Double {
            var z = 0.0
            for i in 0..<n { for j in 0..<n where i != j { z += 1 / (1 + pow(y[2 * i] - y[2 * j], 2) + pow(y[2 * i + 1] - y[2 * j + 1], 2)) } }
            var sum = 0.0
            for i in 0..<n { for e in affinities.rowStart[i]..<affinities.rowStart[i + 1] {
                let j = Int(affinities.columns[e]), p = affinities.values[e]
                let w = 1 / (1 + pow(y[2 * i] - y[2 * j], 2) + pow(y[2 * i + 1] - y[2 * j + 1], 2))
                if p > 0 { sum += p * log(p / (w / z)) }
            } }
            return sum
        }
        let evaluation = TSNEGradient(embedding: y, affinities: affinities, theta: 0, exaggeration: 1, computeKL: true)
        XCTAssertEqual(evaluation.klDivergence, kl(y), accuracy: 1e-10)
        let h = 1e-6
        for index in [0, 1, 17, 46] {
            var plus = y, minus = y
            plus[index] += h; minus[index] -= h
            XCTAssertEqual(4 * evaluation.gradient[index], (kl(plus) - kl(minus)) / (2 * h), accuracy: 1e-6)
        }
        // θ = 0.5 approximates the same gradient closely.
        let approximate = TSNEGradient(embedding: y, affinities: affinities, theta: 0.5, exaggeration: 1, computeKL: false)
        for index in y.indices { XCTAssertEqual(approximate.gradient[index], evaluation.gradient[index], accuracy: 2e-3) }
    }

    func testRejectsBadInput() {
        XCTAssertThrowsError(try TSNE().embed([1, 2, 3], count: 2, dimension: 2)) { XCTAssertTrue("\($0)".contains("points")) }
        XCTAssertThrowsError(try TSNE().embed([Float](repeating: 1, count: 20), count: 10, dimension: 2)) {
            XCTAssertTrue("\($0)".contains("perplexity"))
        }
    }

    /// 40 points have 39 others: perplexity up to 13 (3 × 13 neighbours). Above that the
    /// affinities cannot be calibrated and the embedding used to come out all NaN, with exit 0.
    func testPerplexityIsBoundByTheNeighboursThereAre() throws {
        var generator = SeededGenerator(seed: 3)
        let points = (0..<(40 * 8)).map { _ in Float(generator.nextNormal()) }
        var configuration = TSNE.Configuration()
        configuration.iterations = 50
        configuration.perplexity = 20
        XCTAssertThrowsError(try TSNE(configuration).embed(points, count: 40, dimension: 8)) {
            XCTAssertTrue("\($0)".contains("perplexity: expected a value in (0, 13] for 40 points"), "\($0)")
        }
        configuration.perplexity = 13
        let result = try TSNE(configuration).embed(points, count: 40, dimension: 8)
        XCTAssertTrue(result.coordinates.allSatisfy(\.isFinite))
        XCTAssertGreaterThanOrEqual(result.klDivergence, 0)
    }
}
