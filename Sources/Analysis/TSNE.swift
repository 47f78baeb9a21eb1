import Foundation
import Tensor

/// t-SNE (van der Maaten & Hinton 2008) with a Barnes-Hut gradient, following openTSNE's
/// defaults: PCA initialisation scaled to std 1e-4, early exaggeration 12 for 250
/// iterations, learning rate N/exaggeration, gains, step norm clipped at 5, re-centring.
/// Deterministic for a seed and a given OpenBLAS thread count (the PCA and k-NN use `sgemm`).
public struct TSNE {
    /// Parameters; the defaults reproduce openTSNE with `n_iter=750, initial_momentum=0.5`.
    public struct Configuration: Equatable {
        public var perplexity = 30.0
        /// The input is first reduced to this many principal components (if it has more).
        public var pcaDimensions = 50
        public var theta = 0.5
        public var earlyExaggeration = 12.0
        public var earlyExaggerationIterations = 250
        public var iterations = 750
        public var initialMomentum = 0.5
        public var finalMomentum = 0.8
        /// nil: openTSNE's "auto", N / exaggeration in each phase. In openTSNE's convention
        /// the step is `learningRate × gains × ¼ ∂KL/∂y`.
        public var learningRate: Double? = nil
        public var maxStepNorm = 5.0
        public var minGain = 0.01
        /// PCA initialisation (true) or N(0, 1e-4²) draws; the seed drives the jitter or the draws.
        public var pcaInitialisation = true
        public var seed: UInt64 = 0
        /// Record the KL divergence every this many iterations (0: only at the end).
        public var reportEvery = 50
        public init() {}
    }

    /// An embedding and how well it fits.
    public struct Result {
        /// `N × 2` coordinates, row-major.
        public let coordinates: [Float]
        /// KL(P‖Q) of the final embedding (Q's normaliser from the Barnes-Hut sums, as openTSNE).
        public let klDivergence: Double
        /// (iteration, KL) every `reportEvery` iterations.
        public let history: [(iteration: Int, kl: Double)]
    }

    /// Input that t-SNE cannot embed.
    public struct InputError: Error, CustomStringConvertible {
        public let description: String
    }

    public let configuration: Configuration
    public init(_ configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// Embeds the rows of `points` (`count × dimension`, row-major) in the plane.
    public func embed(_ points: [Float], count n: Int, dimension d: Int) throws -> Result {
        let config = configuration
        guard d > 0, points.count == n * d else {
            throw InputError(description: "points: expected \(n) × \(d) values, found \(points.count)")
        }
        guard n >= 4 else { throw InputError(description: "points: t-SNE needs at least 4 points, found \(n)") }
        guard points.allSatisfy({ $0.isFinite }) else { throw InputError(description: "points: found a NaN or infinite value") }
        // Each point's affinities are calibrated over its 3 × perplexity nearest neighbours (as in
        // openTSNE), so there must be that many others; past that the calibration has no solution
        // and the embedding comes out NaN.
        let largest = Double(n - 1) / 3
        guard config.perplexity > 0, config.perplexity <= largest else {
            throw InputError(description: "perplexity: expected a value in (0, \(String(format: "%g", largest))] for \(n) points "
                             + "(3 × perplexity neighbours per point), found \(config.perplexity)")
        }
        let pca = PrincipalComponents(points, count: n, dimension: d)
        let reducedDimension = min(config.pcaDimensions, d)
        let reduced = pca.project(points, count: n, components: reducedDimension)
        let affinities = TSNEAffinities(points: reduced, count: n, dimension: reducedDimension, perplexity: config.perplexity)
        var embedding = initialLayout(pca: pca, reduced: reduced, count: n, reducedDimension: reducedDimension)
        var optimiser = TSNEOptimiser(count: n, configuration: config)
        var history: [(Int, Double)] = []
        let phases = [(config.earlyExaggeration, config.earlyExaggerationIterations, config.initialMomentum),
                      (1.0, config.iterations, config.finalMomentum)]
        var done = 0
        for (exaggeration, iterations, momentum) in phases {
            let rate = config.learningRate ?? Double(n) / exaggeration
            for _ in 0..<iterations {
                done += 1
                let wantKL = config.reportEvery > 0 && done % config.reportEvery == 0
                let kl = optimiser.step(&embedding, affinities, exaggeration: exaggeration, momentum: momentum,
                                        learningRate: rate, computeKL: wantKL)
                if wantKL { history.append((done, kl)) }
            }
        }
        let gradient = TSNEGradient(embedding: embedding, affinities: affinities, theta: config.theta,
                                    exaggeration: 1, computeKL: true)
        guard embedding.allSatisfy(\.isFinite), gradient.klDivergence.isFinite else {
            throw InputError(description: "t-SNE diverged (a NaN or infinite coordinate); try a smaller perplexity or learning rate")
        }
        return Result(coordinates: embedding.map(Float.init), klDivergence: gradient.klDivergence, history: history)
    }

    /// The first two principal components scaled so that the first has std 1e-4, plus seeded
    /// jitter of 1 % of that (openTSNE's `pca` initialisation); or seeded N(0, 1e-4²).
    private func initialLayout(pca: PrincipalComponents, reduced: [Float], count n: Int, reducedDimension: Int) -> [Double] {
        var generator = SeededGenerator(seed: configuration.seed)
        guard configuration.pcaInitialisation else {
            return (0..<(2 * n)).map { _ in 1e-4 * Double(generator.nextNormal()) }
        }
        // `reduced` holds the principal-component scores already, in descending variance.
        var layout = (0..<n).flatMap { i in [Double(reduced[i * reducedDimension]),
                                             reducedDimension > 1 ? Double(reduced[i * reducedDimension + 1]) : 0] }
        let first = MeanStd(stride(from: 0, to: 2 * n, by: 2).map { layout[$0] })
        let scale = first.std > 0 ? 1e-4 / first.std : 1
        for index in layout.indices { layout[index] = layout[index] * scale + 1e-6 * Double(generator.nextNormal()) }
        return layout
    }
}
