import ArgumentParser
import Foundation
import NN
import Tensor

/// `bce3s bench`: training and inference images/s of a ResNet on random images (see `EngineBenchmark`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure engine throughput: ResNet training step (forward, backward, SGD) and inference, images/s.")

    @Option(help: "Backbone.")
    var model = Backbone.resnet32

    @Option(parsing: .unconditional, help: "Images per step.")
    var batch = 128

    @Option(parsing: .unconditional, help: "Timed steps (the median is reported).")
    var steps = 30

    @Option(parsing: .unconditional, help: "Untimed warm-up steps.")
    var warmup = 5

    @Option(parsing: .unconditional, help: "OpenMP threads for oneDNN and OpenBLAS (default: OMP_NUM_THREADS, else one per core).")
    var threads: Int?

    @Option(help: "Convolution arithmetic: fp32, or bf16 (bfloat16 operands, float32 accumulation; everything else float32).")
    var precision: Precision = .fp32

    @Option(parsing: .unconditional, help: "Seed for weights and images.")
    var seed: UInt64 = 0

    @Flag(help: "Also run the training steps once more under the op profiler and print where the time goes.")
    var profile = false

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard batch >= 2 else { throw ValidationError("--batch must be at least 2 (batch norm), got \(batch)") }
        guard steps >= 1, warmup >= 0 else { throw ValidationError("--steps must be ≥ 1 and --warmup ≥ 0") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    func run() throws {
        let result = EngineBenchmark.run(model: model, batch: batch, steps: steps, warmup: warmup,
                                         threads: threads ?? ComputeThreads.current, seed: seed, precision: precision,
                                         profile: profile)
        if json {
            print(try JSONOutput.line(result))
        } else {
            print("\(model.rawValue) (\(precision.rawValue)), batch \(batch), \(result.threads) threads, median of \(steps) steps after \(warmup) warm-up:")
            print(String(format: "  training  %8.1f images/s (%.3f s/step)", result.trainImagesPerSecond, result.trainStepSecondsMedian))
            print(String(format: "  inference %8.1f images/s (%.3f s/step)", result.inferImagesPerSecond, result.inferStepSecondsMedian))
            if let lines = result.trainProfile {
                print("training step, per op (mean over \(steps) profiled steps):")
                for line in lines {
                    print(String(format: "  %8.2f ms %5.1f %%  %6.1f calls  ", line.millisecondsPerStep, 100 * line.share, line.callsPerStep) + line.op)
                }
            }
        }
    }
}

extension Precision: ExpressibleByArgument {}
extension Backbone: ExpressibleByArgument {}
