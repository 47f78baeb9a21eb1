import XCTest
import Foundation
import Tensor
@testable import Methods

/// Every loss against values computed independently in PyTorch (float64) by
/// `Fixtures/make_loss_golden.py`, which writes each loss as its reference code does
/// (LDAM-DRW `losses.py`, the BCE3S authors' `head.py`): loss values and input gradients.
final class LossGoldenTests: XCTestCase {
    struct Case {
        let json: [String: Any]
        var name: String { json["name"] as! String }
        var loss: Float { Float(json["loss"] as! Double) }
        func tensor(_ key: String) -> Tensor {
            let entry = json[key] as! [String: Any]
            return Tensor(shape: entry["shape"] as! [Int], scalars: (entry["values"] as! [Double]).map(Float.init))
        }
        func ints(_ key: String) -> [Int] { json[key] as! [Int] }
        func floats(_ key: String) -> [Float] { (json[key] as! [Double]).map(Float.init) }
        func number(_ key: String) -> Float { Float(json[key] as! Double) }
    }

    static let cases: [String: Case] = {
        let url = Bundle.module.url(forResource: "loss_golden", withExtension: "json", subdirectory: "Fixtures")!
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let list = (root["cases"] as! [[String: Any]]).map(Case.init)
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()

    /// Evaluates `loss` on the case's `inputs` and compares the value and each input's gradient.
    func check(_ name: String, inputs keys: [String], file: StaticString = #filePath, line: UInt = #line,
               _ loss: (Case, [Tensor]) -> Tensor) {
        guard let c = Self.cases[name] else { return XCTFail("no golden case \(name)", file: file, line: line) }
        let inputs = keys.map { key -> Tensor in
            let t = c.tensor(key)
            t.requiresGrad = true
            return t
        }
        let value = loss(c, inputs)
        XCTAssertEqual(value.item(), c.loss, accuracy: 2e-5 * max(1, abs(c.loss)), "\(name): loss", file: file, line: line)
        value.backward()
        for (key, input) in zip(keys, inputs) {
            let expected = c.floats("grad_" + key)
            let actual = input.grad?.scalars ?? []
            assertAllClose(actual, expected, tolerance: { 1e-5 + 1e-4 * abs($0) }, "\(name): gradient of \(key)", file: file, line: line)
        }
    }

    func mixed(_ c: Case) -> Targets {
        .mixed(c.ints("labels"), c.ints("labels_b"), lambda: c.number("lambda"), classCount: 5)
    }

    func testSoftmaxFamily() {
        check("ce", inputs: ["logits"]) { c, t in crossEntropy(logits: t[0], targets: .labels(c.ints("labels"))) }
        check("ce_weighted", inputs: ["logits"]) { c, t in
            let weights = classBalancedWeights(classCounts: c.ints("counts"), beta: 0.9999)
            assertAllClose(weights, c.floats("class_weights"), tolerance: { _ in 1e-5 }, "class weights")
            return crossEntropy(logits: t[0], targets: .labels(c.ints("labels")), classWeights: weights)
        }
        check("ce_soft", inputs: ["logits"]) { c, t in crossEntropy(logits: t[0], targets: mixed(c)) }
        for name in ["focal_1", "focal_2"] {
            check(name, inputs: ["logits"]) { c, t in focalLoss(logits: t[0], labels: c.ints("labels"), gamma: c.number("gamma")) }
        }
        check("balanced_softmax", inputs: ["logits"]) { c, t in
            balancedSoftmaxLoss(logits: t[0], targets: .labels(c.ints("labels")), classCounts: c.ints("counts"))
        }
    }

    func testLDAM() {
        for name in ["ldam", "ldam_drw"] {
            check(name, inputs: ["cosines"]) { c, t in
                let ldam = LDAMLoss(classCounts: c.ints("counts"))
                assertAllClose(ldam.margins, c.floats("margins"), tolerance: { _ in 1e-6 }, "LDAM margins")
                let weights = name == "ldam_drw" ? classBalancedWeights(classCounts: c.ints("counts"), beta: 0.9999) : nil
                return ldam(cosines: t[0], labels: c.ints("labels"), classWeights: weights)
            }
        }
    }

    func testBinaryCrossEntropyAndHead() {
        check("bce_partial", inputs: ["logits"]) { c, t in
            BinaryCrossEntropy()(logits: t[0], targets: .labels(c.ints("labels")), classSet: c.ints("class_set"))
        }
        check("bce_soft", inputs: ["logits"]) { c, t in
            BinaryCrossEntropy(negativeWeight: c.number("l"))(logits: t[0], targets: mixed(c))
        }
        check("normalized_head_bce", inputs: ["features", "weight", "bias"]) { c, t in
            let logits = Tensor.linear(t[0], weight: t[1].l2NormalizedRows(eps: NormalizedHead.normEpsilon), bias: t[2])
            return BinaryCrossEntropy()(logits: logits, targets: .labels(c.ints("labels")))
        }
        check("stage2", inputs: ["logits"]) { c, t in
            let stage2 = Stage2Loss(classCounts: c.ints("counts"))
            assertAllClose(stage2.classWeights, c.floats("class_weights"), tolerance: { _ in 1e-5 }, "stage-2 class weights")
            return stage2.bce(logits: t[0], targets: .labels(c.ints("labels")), classSet: c.ints("class_set"),
                              sampleWeights: c.ints("labels").map { stage2.classWeights[$0] })
        }
    }

    func testUniformAndContrastive() {
        for name in ["uniform_bce_1", "uniform_bce_2"] {
            check(name, inputs: ["weight"]) { c, t in uniformLoss(classVectors: t[0], scale: c.number("scale"), form: .bce) }
        }
        check("uniform_ce", inputs: ["weight"]) { c, t in uniformLoss(classVectors: t[0], scale: 1, form: .ce) }
        check("contrastive_bce", inputs: ["projections"]) { c, t in
            let memoryValues = c.tensor("memory")
            let memory = ClassMemory(classCount: 5, dimension: memoryValues.shape[1])
            memory.overwrite(with: memoryValues, labels: Array(0..<5))
            return BinaryCrossEntropy()(logits: memory.cosineLogits(t[0], temperature: c.number("temperature")),
                                        targets: mixed(c))
        }
    }

    func testMaxNorm() {
        let c = Self.cases["maxnorm"]!
        let weight = c.tensor("weight")
        let maxNorm = MaxNorm(weight: weight)
        XCTAssertEqual(maxNorm.threshold, c.number("threshold"), accuracy: 1e-5)
        maxNorm.project(weight)
        assertAllClose(weight.scalars, c.floats("projected"), tolerance: { _ in 1e-5 }, "MaxNorm projection")
    }
}
