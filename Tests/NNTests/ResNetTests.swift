import Foundation
import XCTest
import Tensor
@testable import NN

/// ResNet structure (names, sizes, initialisation), determinism, and that a small one can learn.
final class ResNetTests: XCTestCase {
    /// Built once: 21 M parameters take seconds to draw in a debug build.
    static let resnet34 = ResNet(.resnet34CIFAR, seed: 0)

    override func invokeTest() { ComputeThreads.with(1) { super.invokeTest() } }

    func testResNet32HasPyTorchsStateDictNamesShapesAndSize() throws {
        let model = ResNet(.resnet32, seed: 0)
        XCTAssertEqual(model.parameterCount + 64 * 10 + 10, 464_154, "with a 10-class linear head")
        let fixture = try XCTUnwrap(FixtureFiles.json("resnet32_state_dict.json") as? [String: Any])
        let entries = try XCTUnwrap(fixture["state_dict"] as? [[Any]]).filter { !($0[0] as! String).hasPrefix("linear.") }
        let floats = entries.filter { $0[1] as? String == "F32" }
        XCTAssertEqual(model.stateTensors.map(\.name), floats.map { $0[0] as! String })
        XCTAssertEqual(model.stateTensors.map(\.tensor.shape), floats.map { $0[2] as! [Int] })
        XCTAssertEqual(Set(model.batchNormCounters.keys), Set(entries.filter { $0[1] as? String == "I64" }.map { $0[0] as! String }))
    }

    func testGLMCResNet32IsLDAMsNetworkAtFourTimesTheWidth() {
        let model = ResNet(.resnet32GLMC, seed: 0)
        // convolutions 3·64·9 + 10·64·64·9 + (64·128 + 9·128·128)·9 + (128·256 + 9·256·256)·9,
        // plus γ and β of the 31 batch norms (64 + 10·64 + 10·128 + 10·256 channels)
        XCTAssertEqual(model.parameterCount, 7_374_528 + 9_088)
        XCTAssertEqual(model.stateTensors.map(\.name), ResNet(.resnet32, seed: 0).stateTensors.map(\.name),
                       "the same PyTorch names as LDAM-DRW's resnet32 (option A: no shortcut parameters)")
        XCTAssertEqual(model.stages[2][4].conv2.weight.shape, [256, 256, 3, 3])
        let features = Tensor.withoutRecording { model(testImages(2), training: false) }
        XCTAssertEqual(features.shape, [2, 256])
    }

    func testResNet34CIFARHasTorchvisionNamesAndSize() {
        let model = Self.resnet34
        XCTAssertEqual(model.parameterCount, 21_276_992, "torchvision resnet34 minus fc, with a 3×3 stem")
        let names = Set(model.stateTensors.map(\.name))
        for name in ["conv1.weight", "bn1.running_var", "layer1.2.conv2.weight", "layer2.0.downsample.0.weight",
                     "layer2.0.downsample.1.running_mean", "layer4.2.bn2.bias"] {
            XCTAssertTrue(names.contains(name), name)
        }
        XCTAssertFalse(names.contains("layer1.0.downsample.0.weight"), "stage 1 keeps identity shortcuts")
        let features = Tensor.withoutRecording { model(testImages(2), training: false) }
        XCTAssertEqual(features.shape, [2, 512])
    }

    func testInitialisationFollowsTheReferenceModels() {
        func std(_ t: Tensor) -> Double {
            let v = t.scalars.map(Double.init)
            let m = v.reduce(0, +) / Double(v.count)
            return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot()
        }
        let ldam = ResNet(.resnet32, seed: 0)
        XCTAssertEqual(std(ldam.stages[2][1].conv1.weight), (2.0 / (64 * 9)).squareRoot(), accuracy: 0.002, "fan-in")
        let tv = Self.resnet34
        XCTAssertEqual(std(tv.stages[1][1].conv1.weight), (2.0 / (128 * 9)).squareRoot(), accuracy: 0.001, "fan-out")
        let stem = tv.conv1.weight.scalars
        XCTAssertLessThanOrEqual(stem.map(abs).max()!, 1 / Float(27).squareRoot(), "PyTorch default bound 1/√fan_in")
        XCTAssertEqual(tv.bn1.weight.scalars, [Float](repeating: 1, count: 64))
        XCTAssertEqual(tv.bn1.runningVariance.scalars, [Float](repeating: 1, count: 64))
    }

    func testSameSeedAndThreadsGiveBitIdenticalTraining() {
        func train(seed: UInt64) -> [UInt32] {
            let (model, head) = (ResNet(.small, seed: seed), Head(classes: 4, seed: seed))
            let optimizer = SGD(groups: [ParameterGroup(parameters: model.namedParameters + head.parameters, weightDecay: 5e-4)],
                                momentum: 0.9)
            let images = testImages(8)
            for _ in 0..<3 {
                optimizer.zeroGrad()
                head.crossEntropy(model(images, training: true), labels: (0..<8).map { $0 % 4 }).backward()
                optimizer.step(learningRate: 0.1)
            }
            return model.stateTensors.flatMap { $0.tensor.scalars.map(\.bitPattern) }
        }
        XCTAssertEqual(train(seed: 5), train(seed: 5))
        XCTAssertNotEqual(train(seed: 5), train(seed: 6))
    }

    /// A bf16 ResNet-8 (every convolution bf16, the rest fp32) tracks the fp32 one through a
    /// forward and a backward pass. Features stay within a few percent of the largest value.
    /// Gradients pass back through batch norm, whose backward subtracts means (cancellation
    /// magnifies rounding in small components), so each parameter's gradient is compared as a
    /// vector: its direction (cosine) and length must agree.
    func testBFloat16ResNetTracksFloat32ForwardAndBackward() {
        func pass(_ precision: Precision) -> (features: [Float], gradients: [[Float]]) {
            let (model, head) = (ResNet(.small, seed: 3), Head(classes: 4, seed: 3))
            model.precision = precision
            let features = model(testImages(8), training: true)
            head.crossEntropy(features, labels: (0..<8).map { $0 % 4 }).backward()
            return (features.scalars, model.namedParameters.map { $0.tensor.grad!.scalars })
        }
        let (fp32, bf16) = (pass(.fp32), pass(.bf16))
        XCTAssertEqual(bf16.features.count, fp32.features.count)
        let featureError = zip(bf16.features, fp32.features).map { abs($0 - $1) }.max()! / fp32.features.map(abs).max()!
        XCTAssertGreaterThan(featureError, 0, "bf16 ran the fp32 path")
        XCTAssertLessThan(featureError, 0.03)
        XCTAssertEqual(bf16.gradients.count, fp32.gradients.count)
        for (i, (a, b)) in zip(bf16.gradients, fp32.gradients).enumerated() {
            XCTAssertEqual(a.count, b.count)
            let dot = zip(a, b).map { Double($0) * Double($1) }.reduce(0, +)
            let (normA, normB) = (a.map { Double($0 * $0) }.reduce(0, +).squareRoot(), b.map { Double($0 * $0) }.reduce(0, +).squareRoot())
            XCTAssertGreaterThan(dot / (normA * normB), 0.98, "gradient of parameter \(i): direction")
            XCTAssertEqual(normA / normB, 1, accuracy: 0.05, "gradient of parameter \(i): length")
        }
    }

    /// 256 generated 8×8 images of noise with random labels: nothing to learn but the images
    /// themselves. Full-batch SGD must reach 100 % training accuracy within 60 steps.
    func testSmallResNetMemorisesGeneratedImages() {
        let count = 256, classes = 10
        var rng = SeededGenerator(seed: 99)
        let images = Tensor.randomNormal([count, 3, 8, 8], using: &rng)
        let labels = (0..<count).map { _ in Int(rng.next() % UInt64(classes)) }
        let (model, head) = (ResNet(.small, seed: 1), Head(classes: classes, seed: 1))
        let optimizer = SGD(groups: [ParameterGroup(parameters: model.namedParameters + head.parameters, weightDecay: 0)],
                            momentum: 0.9)
        var accuracy = 0.0, steps = 0
        while steps < 60 && accuracy < 1 {
            optimizer.zeroGrad()
            head.crossEntropy(model(images, training: true), labels: labels).backward()
            optimizer.step(learningRate: 0.05)
            steps += 1
            if steps % 5 == 0 {
                let logits = Tensor.withoutRecording { head.logits(model(images, training: false)) }.scalars
                let predicted = (0..<count).map { i in (0..<classes).max { logits[i * classes + $0] < logits[i * classes + $1] }! }
                accuracy = Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(count)
            }
        }
        XCTAssertEqual(accuracy, 1, "training accuracy after \(steps) steps")
    }

    private func testImages(_ n: Int) -> Tensor {
        var rng = SeededGenerator(seed: 42)
        return Tensor.randomNormal([n, 3, 32, 32], using: &rng)
    }
}

/// A linear classifier with softmax cross-entropy, only for these tests (heads live in Methods).
private struct Head {
    let weight: Tensor, bias: Tensor
    init(classes: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed &+ 1000)
        weight = Tensor.randomNormal([classes, 64], std: 0.1, using: &rng)
        bias = Tensor.zeros([classes])
        weight.requiresGrad = true
        bias.requiresGrad = true
    }
    var parameters: [(name: String, tensor: Tensor)] { [("linear.weight", weight), ("linear.bias", bias)] }
    func logits(_ features: Tensor) -> Tensor { Tensor.linear(features, weight: weight, bias: bias) }
    func crossEntropy(_ features: Tensor, labels: [Int]) -> Tensor {
        -logits(features).logSoftmax().gather(labels: labels).mean()
    }
}
