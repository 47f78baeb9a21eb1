import XCTest
@testable import Tensor

/// `OpProfile` charges each kernel call to the right label, and nothing while it is off.
final class OpProfileTests: XCTestCase {
    override func invokeTest() { ComputeThreads.with(1) { super.invokeTest() } }
    override func tearDown() { OpProfile.reset(enabled: false) }

    private func convolutionStep() {
        let x = testTensor([2, 16, 6, 6], seed: 1).converted(to: .blocked16)
        let w = testTensor([16, 16, 3, 3], seed: 2)
        x.requiresGrad = true
        w.requiresGrad = true
        Tensor.conv2d(x, weight: w, stride: 1, padding: 1).sum().backward()
    }

    func testConvolutionStepIsChargedPerPropagation() {
        convolutionStep()  // create the primitives first: creation is not execution
        OpProfile.reset(enabled: true)
        convolutionStep()
        let entries = OpProfile.entries()
        OpProfile.reset(enabled: false)

        func calls(_ words: String) -> Int {
            entries.filter { $0.label.hasPrefix(words) }.map(\.calls).reduce(0, +)
        }
        XCTAssertEqual(calls("convolution forward_training"), 1, "labels: \(entries.map(\.label))")
        XCTAssertEqual(calls("convolution backward_data"), 1, "labels: \(entries.map(\.label))")
        XCTAssertEqual(calls("convolution backward_weights"), 1, "labels: \(entries.map(\.label))")
        XCTAssertTrue(entries.allSatisfy { $0.seconds >= 0 && $0.calls >= 1 })
        XCTAssertEqual(entries.map(\.seconds), entries.map(\.seconds).sorted(by: >), "longest first")
    }

    func testMatrixProductIsChargedToSgemm() {
        OpProfile.reset(enabled: true)
        _ = Tensor.matmul(testTensor([4, 3], seed: 3), testTensor([3, 5], seed: 4))
        _ = Tensor.matmul(testTensor([2, 2], seed: 5), testTensor([2, 2], seed: 6))
        let entries = OpProfile.entries()
        OpProfile.reset(enabled: false)
        XCTAssertEqual(entries.map(\.label), ["sgemm (OpenBLAS)"])
        XCTAssertEqual(entries.first?.calls, 2)
    }

    func testNothingIsChargedWhileOff() {
        OpProfile.reset(enabled: false)
        convolutionStep()
        XCTAssertEqual(OpProfile.measure("section") { 42 }, 42)
        XCTAssertTrue(OpProfile.entries().isEmpty)
    }
}
