import Foundation
import Analysis
import Datasets
import Pipeline
import Store

/// The analysis step's t-SNE of test features: at most `tsne_points` points (an evenly spaced,
/// class-stratified choice so every class appears), written as `tsne.npy` (N × 2) with
/// `tsne_labels.npy`; returns the metric `tsne_kl` (final KL divergence).
enum TSNEEmbedding {
    static func embed(_ features: LabelledFeatures, parameters p: Parameters, into directory: URL,
                      log: (String) -> Void) throws -> [Metric] {
        let limit = try p.optional("tsne_points", default: 2000, Parameters.int)
        let chosen = evenlySpaced(labels: features.labels, classCount: features.classCount, limit: limit)
        let d = features.dimension
        var points: [Float] = []
        points.reserveCapacity(chosen.count * d)
        for i in chosen { points += features.values[(i * d)..<((i + 1) * d)] }
        var configuration = TSNE.Configuration()
        configuration.seed = UInt64(try p.optional("seed", default: 0, Parameters.int))
        configuration.iterations = try p.optional("tsne_iterations", default: 750, Parameters.int)
        configuration.perplexity = min(try p.optional("perplexity", default: 30, Parameters.double), Double(chosen.count - 1) / 3)
        log("t-SNE of \(chosen.count) test features (perplexity \(configuration.perplexity))")
        let result = try TSNE(configuration).embed(points, count: chosen.count, dimension: d)
        try NPYFile.write(result.coordinates, shape: [chosen.count, 2], to: directory.appendingPathComponent("tsne.npy"))
        try NPYFile.write(chosen.map { features.labels[$0] }, shape: [chosen.count],
                          to: directory.appendingPathComponent("tsne_labels.npy"))
        return [Metric("tsne_kl", result.klDivergence, split: .test), Metric("tsne_points", Double(chosen.count), split: .test)]
    }

    /// Up to `limit` indices, the same share of every class, spread evenly over each class's samples.
    static func evenlySpaced(labels: [Int], classCount: Int, limit: Int) -> [Int] {
        guard labels.count > limit else { return Array(labels.indices) }
        var byClass = [[Int]](repeating: [], count: classCount)
        for (i, label) in labels.enumerated() { byClass[label].append(i) }
        let share = Double(limit) / Double(labels.count)
        return byClass.flatMap { members -> [Int] in
            let keep = max(1, Int(Double(members.count) * share))
            return (0..<min(keep, members.count)).map { members[$0 * members.count / keep] }
        }.sorted()
    }
}
