import ArgumentParser
import Foundation
import Steps

/// `bce3s analyse …`: analysis tools that work on `.npy` files, outside any pipeline.
struct AnalyseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyse",
        abstract: "Analyse saved features: t-SNE embeddings and geometry figures.",
        subcommands: [AnalyseTSNE.self, AnalyseGeometry.self]
    )
}

/// `bce3s analyse tsne --in X.npy --out Y.npy`: a 2-D t-SNE embedding of the rows of X.
struct AnalyseTSNE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsne",
        abstract: "Embed the rows of an N × d float32 .npy array in 2-D (Barnes-Hut t-SNE, openTSNE's defaults).")

    @Option(name: .customLong("in"), help: "Input .npy, float32 N × d.")
    var input: String

    @Option(help: "Output .npy, float32 N × 2 (written atomically).")
    var out: String

    @Option(parsing: .unconditional, help: "Seed of the initial jitter.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Perplexity of the input affinities.")
    var perplexity: Double = 30

    @Option(parsing: .unconditional, help: "Iterations after the 250 of early exaggeration.")
    var iterations: Int = 750

    @Flag(help: "Print one JSON object (seconds, kl_divergence, n, d) instead of text.")
    var json = false

    func validate() throws {
        guard perplexity > 0 else { throw ValidationError("--perplexity must be positive, got \(perplexity)") }
        guard iterations >= 0 else { throw ValidationError("--iterations must be non-negative, got \(iterations)") }
    }

    func run() throws {
        let result = try FeatureFileAnalysis.tsne(input: URL(fileURLWithPath: input), output: URL(fileURLWithPath: out),
                                                  seed: seed, perplexity: perplexity, iterations: iterations)
        let (seconds, shape) = (result.seconds, [result.count, result.dimension])
        if json {
            print(try JSONOutput.line(Summary(seconds: (seconds * 1000).rounded() / 1000, klDivergence: result.klDivergence,
                                              n: shape[0], d: shape[1])))
        } else {
            for (iteration, kl) in result.history { print(String(format: "iteration %4d  KL %.4f", iteration, kl)) }
            print(String(format: "t-SNE of %d × %d points: KL %.4f in %.1f s → %@", shape[0], shape[1],
                         result.klDivergence, seconds, out))
        }
    }

    /// What `--json` prints.
    private struct Summary: Encodable {
        var seconds: Double
        var klDivergence: Double
        var n: Int
        var d: Int

        enum CodingKeys: String, CodingKey { case seconds, klDivergence = "kl_divergence", n, d }
    }
}
