import Foundation
import Tensor

/// Training and inference throughput of a ResNet on random images, the engine half of
/// `make bench` (bench/torch_resnet32_bench.py times the same step in PyTorch).
///
/// A training step is forward + linear head + softmax cross-entropy + backward + SGD
/// (lr 0.1, momentum 0.9, weight decay 2e-4); inference is an eval-mode forward with the
/// head, without recording. Each is run `warmup` times untimed, then `steps` times timed;
/// the result is the median.
public enum EngineBenchmark {
    public struct Result: Codable, Sendable {
        public let model: String
        public let batch: Int
        public let threads: Int
        public let steps: Int
        public let parameters: Int
        public let trainImagesPerSecond: Double
        public let inferImagesPerSecond: Double
        public let trainStepSecondsMedian: Double
        public let inferStepSecondsMedian: Double

        enum CodingKeys: String, CodingKey {
            case model, batch, threads, steps, parameters
            case trainImagesPerSecond = "train_images_per_second", inferImagesPerSecond = "infer_images_per_second"
            case trainStepSecondsMedian = "train_step_seconds_median", inferStepSecondsMedian = "infer_step_seconds_median"
        }
    }

    /// Runs the benchmark for the preset `model` (a key of `ResNet.Configuration.named`).
    public static func run(model name: String, batch: Int, steps: Int, warmup: Int, threads: Int, seed: UInt64) -> Result {
        guard let configuration = ResNet.Configuration.named[name] else {
            preconditionFailure("EngineBenchmark: unknown model \(name)")
        }
        ComputeThreads.set(threads)
        let classes = name == "resnet34" ? 100 : 10
        let model = ResNet(configuration, seed: seed)
        var rng = SeededGenerator(seed: seed &+ 1)
        let bound = 1 / Float(model.featureDimension).squareRoot()
        let weight = Tensor.randomUniform([classes, model.featureDimension], low: -bound, high: bound, using: &rng)
        let bias = Tensor.randomUniform([classes], low: -bound, high: bound, using: &rng)
        weight.requiresGrad = true
        bias.requiresGrad = true
        let parameters = model.namedParameters + [("linear.weight", weight), ("linear.bias", bias)]
        let optimizer = SGD(groups: [ParameterGroup(parameters: parameters, weightDecay: 2e-4)], momentum: 0.9)
        let images = Tensor.randomNormal([batch, 3, 32, 32], using: &rng)
        let labels = (0..<batch).map { _ in Int(rng.next() % UInt64(classes)) }

        let train = medianSeconds(warmup: warmup, steps: steps) {
            optimizer.zeroGrad()
            let logits = Tensor.linear(model(images, training: true), weight: weight, bias: bias)
            (-logits.logSoftmax().gather(labels: labels).mean()).backward()
            optimizer.step(learningRate: 0.1)
        }
        let infer = medianSeconds(warmup: warmup, steps: steps) {
            _ = Tensor.withoutRecording { Tensor.linear(model(images, training: false), weight: weight, bias: bias) }
        }
        return Result(model: name, batch: batch, threads: threads, steps: steps, parameters: parameters.map(\.1.count).reduce(0, +),
                      trainImagesPerSecond: Double(batch) / train, inferImagesPerSecond: Double(batch) / infer,
                      trainStepSecondsMedian: train, inferStepSecondsMedian: infer)
    }

    private static func medianSeconds(warmup: Int, steps: Int, _ body: () -> Void) -> Double {
        for _ in 0..<warmup { body() }
        var times: [Double] = []
        for _ in 0..<steps {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        return times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
    }
}
