import Tensor

/// A layer of a ResNet that holds state: convolutions and batch norms.
public enum ResNetLayer {
    case conv(Conv2d)
    case batchNorm(BatchNorm2d)
}

/// CIFAR ResNets: a 3×3 stem, stages of `BasicBlock`s, average pooling → penultimate feature.
/// The classifier head is not part of the backbone (the Methods target owns heads).
public final class ResNet {
    /// What distinguishes the ResNet variants.
    public struct Configuration: Sendable {
        /// Channels per stage; the stem has `stageChannels[0]`; stage 0 has stride 1, the others 2.
        public var stageChannels: [Int]
        public var blocksPerStage: [Int]
        /// `true`: 1×1-conv + BN projection shortcuts (torchvision); `false`: option A (LDAM-DRW).
        public var projectionShortcuts: Bool
        /// `nil`: global average pool; `k`: `avg_pool2d(k)` then flatten (torchvision-CIFAR uses 4).
        public var poolKernel: Int?
        /// `true`: torchvision init (convs N(0, 2/fan_out), stem conv PyTorch default because the
        /// BCE3S code replaces it); `false`: LDAM-DRW init (every conv N(0, 2/fan_in)).
        public var torchvisionInitialization: Bool

        public init(stageChannels: [Int], blocksPerStage: [Int], projectionShortcuts: Bool, poolKernel: Int?,
                    torchvisionInitialization: Bool) {
            precondition(stageChannels.count == blocksPerStage.count && !stageChannels.isEmpty,
                         "ResNet.Configuration: \(stageChannels.count) stage widths for \(blocksPerStage.count) stages")
            self.stageChannels = stageChannels
            self.blocksPerStage = blocksPerStage
            self.projectionShortcuts = projectionShortcuts
            self.poolKernel = poolKernel
            self.torchvisionInitialization = torchvisionInitialization
        }

        /// LDAM-DRW `resnet32`: 16/32/64 channels, 5 blocks per stage, option A, 0.46 M parameters.
        public static let resnet32 = Configuration(stageChannels: [16, 32, 64], blocksPerStage: [5, 5, 5],
                                                   projectionShortcuts: false, poolKernel: nil, torchvisionInitialization: false)
        /// GLMC's `resnet32` (`ResNet_modify`, `nf = 64`), the network the GLMC code base — which the
        /// BCE3S authors build on — calls ResNet-32: LDAM-DRW's shape and initialisation at four times
        /// the width, 64/128/256 channels, 7.38 M parameters, about 16× the multiply-adds.
        public static let resnet32GLMC = Configuration(stageChannels: [64, 128, 256], blocksPerStage: [5, 5, 5],
                                                       projectionShortcuts: false, poolKernel: nil, torchvisionInitialization: false)
        /// BCE3S ResNet-34-CIFAR: torchvision resnet34 with a 3×3 stride-1 stem, no max-pool, 4×4 average pool.
        public static let resnet34CIFAR = Configuration(stageChannels: [64, 128, 256, 512], blocksPerStage: [3, 4, 6, 3],
                                                        projectionShortcuts: true, poolKernel: 4, torchvisionInitialization: true)
        /// ResNet-32's family with one block per stage (ResNet-8): tests and smoke runs.
        public static let small = Configuration(stageChannels: [16, 32, 64], blocksPerStage: [1, 1, 1],
                                                projectionShortcuts: false, poolKernel: nil, torchvisionInitialization: false)
    }

    public let configuration: Configuration
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    /// `stages[s][b]` is PyTorch's `layer{s+1}.{b}`.
    public let stages: [[BasicBlock]]

    /// A freshly initialised network; the same seed gives the same weights everywhere.
    public init(_ configuration: Configuration, seed: UInt64) {
        self.configuration = configuration
        var generator = SeededGenerator(seed: seed)
        let tv = configuration.torchvisionInitialization
        let widths = configuration.stageChannels
        conv1 = Conv2d(3, widths[0], kernel: 3, stride: 1, padding: 1,
                       initialization: tv ? .pytorchDefault : .kaimingNormalFanIn, generator: &generator)
        bn1 = BatchNorm2d(widths[0])
        var inChannels = widths[0]
        var stages: [[BasicBlock]] = []
        for (s, (width, count)) in zip(widths, configuration.blocksPerStage).enumerated() {
            stages.append((0..<count).map { b in
                defer { inChannels = width }
                return BasicBlock(inChannels, width, stride: b == 0 && s > 0 ? 2 : 1,
                                  projection: configuration.projectionShortcuts,
                                  initialization: tv ? .kaimingNormalFanOut : .kaimingNormalFanIn, generator: &generator)
            })
        }
        self.stages = stages
    }

    /// The precision of every convolution (`Precision`): fp32 until set; the parameters stay
    /// float32 either way, so a checkpoint does not depend on it.
    public var precision: Precision = .fp32 {
        didSet { for case let (_, .conv(conv)) in layers { conv.precision = precision } }
    }

    /// Length of the penultimate feature (64 for ResNet-32, 512 for ResNet-34).
    public var featureDimension: Int { configuration.stageChannels.last! }

    /// images: (N, 3, H, W) → features (N, featureDimension). `training` selects batch
    /// statistics (and updates the running ones) versus running statistics in every batch norm.
    /// In bf16, an eval-mode forward that records no gradients runs as the fused bf16
    /// inference chain (`bfloat16InferenceActivations`).
    public func callAsFunction(_ images: Tensor, training: Bool) -> Tensor {
        if !training && precision == .bf16 && !Tensor.isRecordingGradients {
            return pooled(bfloat16InferenceActivations(images).float32())
        }
        var x = bn1(conv1(images), training: training, relu: true)
        for stage in stages { for block in stage { x = block(x, training: training) } }
        return pooled(x)
    }

    /// The last stage's activations (N, C, H, W) → features (N, C): global or k×k average pooling.
    private func pooled(_ x: Tensor) -> Tensor {
        guard let k = configuration.poolKernel else { return x.globalAvgPool() }
        return x.avgPool2d(kernel: k).flattenedRows()
    }

    /// Every stateful layer under its PyTorch module name prefix (`conv1.`, `layer2.0.bn1.`, …), in module order.
    public var layers: [(prefix: String, layer: ResNetLayer)] {
        var list: [(prefix: String, layer: ResNetLayer)] = [("conv1.", .conv(conv1)), ("bn1.", .batchNorm(bn1))]
        for (s, stage) in stages.enumerated() {
            for (b, block) in stage.enumerated() {
                list += block.layers.map { ("layer\(s + 1).\(b).\($0.prefix)", $0.layer) }
            }
        }
        return list
    }

    /// Trainable tensors with PyTorch names (`conv1.weight`, `layer1.0.bn1.bias`, …).
    public var namedParameters: [(name: String, tensor: Tensor)] {
        layers.flatMap { prefix, layer -> [(name: String, tensor: Tensor)] in
            switch layer {
            case .conv(let c): return [(prefix + "weight", c.weight)]
            case .batchNorm(let b): return [(prefix + "weight", b.weight), (prefix + "bias", b.bias)]
            }
        }
    }

    /// Float tensors of PyTorch's `state_dict()` in its order: parameters and running statistics.
    public var stateTensors: [(name: String, tensor: Tensor)] {
        layers.flatMap { prefix, layer -> [(name: String, tensor: Tensor)] in
            switch layer {
            case .conv(let c): return [(prefix + "weight", c.weight)]
            case .batchNorm(let b):
                return [(prefix + "weight", b.weight), (prefix + "bias", b.bias),
                        (prefix + "running_mean", b.runningMean), (prefix + "running_var", b.runningVariance)]
            }
        }
    }

    /// The batch norms' `num_batches_tracked` counters by PyTorch name.
    public var batchNormCounters: [String: Int64] {
        get {
            var counters: [String: Int64] = [:]
            for case let (prefix, .batchNorm(b)) in layers { counters[prefix + "num_batches_tracked"] = b.batchesTracked }
            return counters
        }
        set {
            for case let (prefix, .batchNorm(b)) in layers {
                if let value = newValue[prefix + "num_batches_tracked"] { b.batchesTracked = value }
            }
        }
    }

    /// Number of trainable scalars.
    public var parameterCount: Int { namedParameters.map(\.tensor.count).reduce(0, +) }
}
