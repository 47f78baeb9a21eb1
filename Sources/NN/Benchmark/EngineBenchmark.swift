import Foundation
import Tensor

/// Training and inference throughput of a ResNet on random images, the engine half of
/// `make bench` (bench/torch_resnet32_bench.py times the same step in PyTorch).
///
/// A training step is forward + linear head + softmax cross-entropy + backward + SGD
/// (lr 0.1, momentum 0.9, weight decay 2e-4); inference is an eval-mode forward with the
/// head, without recording. Each is run `warmup` times untimed, then `steps` times timed;
/// the result is the median. With `profile`, as many training steps again run under
/// `OpProfile`, and `trainProfile` says which kernels took the time.
public enum EngineBenchmark {
    /// One line of the per-op split of a training step: a kernel label (or `other`) with its
    /// mean milliseconds and calls per step and its share of the profiled step time.
    public struct ProfileLine: Codable, Sendable {
        public let op: String
        public let millisecondsPerStep: Double
        public let callsPerStep: Double
        public let share: Double

        enum CodingKeys: String, CodingKey {
            case op, share
            case millisecondsPerStep = "ms_per_step", callsPerStep = "calls_per_step"
        }
    }

    public struct Result: Codable, Sendable {
        public let model: String
        public let batch: Int
        public let threads: Int
        public let precision: Precision
        public let steps: Int
        public let parameters: Int
        public let trainImagesPerSecond: Double
        public let inferImagesPerSecond: Double
        public let trainStepSecondsMedian: Double
        public let inferStepSecondsMedian: Double
        /// Per-op split of the profiled training steps, longest first; `nil` without `profile`.
        public let trainProfile: [ProfileLine]?

        enum CodingKeys: String, CodingKey {
            case model, batch, threads, precision, steps, parameters
            case trainProfile = "train_profile"
            case trainImagesPerSecond = "train_images_per_second", inferImagesPerSecond = "infer_images_per_second"
            case trainStepSecondsMedian = "train_step_seconds_median", inferStepSecondsMedian = "infer_step_seconds_median"
        }
    }

    /// Runs the benchmark for `model` with its convolutions in `precision`.
    public static func run(model name: Backbone, batch: Int, steps: Int, warmup: Int, threads: Int, seed: UInt64,
                           precision: Precision = .fp32, profile: Bool = false) -> Result {
        ComputeThreads.with(threads) {
            measure(model: name, batch: batch, steps: steps, warmup: warmup, threads: threads, seed: seed, precision: precision,
                    profile: profile)
        }
    }

    private static func measure(model name: Backbone, batch: Int, steps: Int, warmup: Int, threads: Int, seed: UInt64,
                                precision: Precision, profile: Bool) -> Result {
        let classes = name == .resnet34 ? 100 : 10
        let model = ResNet(name.configuration, seed: seed)
        model.precision = precision
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

        let trainStep = {
            optimizer.zeroGrad()
            let logits = Tensor.linear(model(images, training: true), weight: weight, bias: bias)
            (-logits.logSoftmax().gather(labels: labels).mean()).backward()
            OpProfile.measure("SGD update (Swift)") { optimizer.step(learningRate: 0.1) }
        }
        let train = medianSeconds(warmup: warmup, steps: steps, trainStep)
        let trainProfile = profile ? profiled(steps: steps, trainStep) : nil
        let infer = medianSeconds(warmup: warmup, steps: steps) {
            _ = Tensor.withoutRecording { Tensor.linear(model(images, training: false), weight: weight, bias: bias) }
        }
        return Result(model: name.rawValue, batch: batch, threads: threads, precision: precision, steps: steps, parameters: parameters.map(\.1.count).reduce(0, +),
                      trainImagesPerSecond: Double(batch) / train, inferImagesPerSecond: Double(batch) / infer,
                      trainStepSecondsMedian: train, inferStepSecondsMedian: infer, trainProfile: trainProfile)
    }

    /// Runs `body` `steps` times under `OpProfile`; the split per step, with `other` for
    /// the time no kernel label covers.
    private static func profiled(steps: Int, _ body: () -> Void) -> [ProfileLine] {
        OpProfile.reset(enabled: true)
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<steps { body() }
        let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let entries = OpProfile.entries()
        OpProfile.reset(enabled: false)
        let n = Double(steps)
        let other = max(0, total - entries.map(\.seconds).reduce(0, +))
        let lines = entries.map { (op: $0.label, seconds: $0.seconds, calls: Double($0.calls)) }
            + [(op: "other (element-wise ops, losses, autograd, allocation)", seconds: other, calls: 0)]
        return lines.map { ProfileLine(op: $0.op, millisecondsPerStep: 1000 * $0.seconds / n, callsPerStep: $0.calls / n,
                                       share: $0.seconds / total) }
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
