import XCTest
@testable import Datasets

/// Every AutoAugment operation (5 magnitudes × 2 signs × 2 images) and all 25 sub-policies
/// against Pillow (Fixtures/pil_reference.py), compared by SHA-256 of the HWC bytes.
final class AutoAugmentTests: XCTestCase {
    private func inputs() throws -> [RGBImage] {
        let bytes = [UInt8](try Fixture.data("pil_inputs.bin"))
        return (0..<2).map { RGBImage(width: 32, height: 32, interleaved: Array(bytes[$0 * 3072..<($0 + 1) * 3072])) }
    }

    private func operation(_ name: String, _ m: Int) -> AutoAugmentCIFAR10.Operation {
        switch name {
        case "shearX": return .shearX(m)
        case "shearY": return .shearY(m)
        case "translateX": return .translateX(m)
        case "translateY": return .translateY(m)
        case "rotate": return .rotate(m)
        case "color": return .color(m)
        case "posterize": return .posterize(m)
        case "solarize": return .solarize(m)
        case "contrast": return .contrast(m)
        case "sharpness": return .sharpness(m)
        case "brightness": return .brightness(m)
        case "autocontrast": return .autoContrast
        case "equalize": return .equalize
        default: return .invert
        }
    }

    func testEveryOperationMatchesPillow() throws {
        let images = try inputs()
        let cases = try XCTUnwrap(Fixture.json("pil_golden.json")["operations"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 280)
        var failures: [String] = []
        for entry in cases {
            let op = operation(entry["op"] as! String, entry["magnitude"] as! Int)
            let output = op.apply(to: images[entry["image"] as! Int], sign: Double(entry["sign"] as! Int))
            if Checksums.sha256Hex(output.interleaved) != entry["sha256"] as? String {
                failures.append("\(entry["op"]!) m=\(entry["magnitude"]!) sign=\(entry["sign"]!) image=\(entry["image"]!)")
            }
        }
        XCTAssertEqual(failures, [])
    }

    func testAllSubPoliciesMatchPillow() throws {
        let images = try inputs()
        let cases = try XCTUnwrap(Fixture.json("pil_golden.json")["policies"] as? [[String: Any]])
        XCTAssertEqual(AutoAugmentCIFAR10.policies.count, 25)
        for entry in cases {
            let policy = AutoAugmentCIFAR10.policies[entry["policy"] as! Int]
            let signs = entry["signs"] as! [Int]
            let once = policy.first.operation.apply(to: images[entry["image"] as! Int], sign: Double(signs[0]))
            let twice = policy.second.operation.apply(to: once, sign: Double(signs[1]))
            XCTAssertEqual(Checksums.sha256Hex(twice.interleaved), entry["sha256"] as? String, "policy \(entry["policy"]!)")
        }
    }

    func testNormalisationMatchesTorchvision() throws {
        let expected = try XCTUnwrap(Fixture.json("pil_golden.json")["normalised_sha256"] as? [String])
        for (image, hash) in zip(try inputs(), expected) {
            let values = Normalization.cifar.normalized(image)
            let bytes = values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
            XCTAssertEqual(Checksums.sha256Hex(bytes), hash)
        }
    }

    func testPolicyIsDeterministicForASeedAndVariesAcrossSeeds() throws {
        let image = try inputs()[1]
        let policy = AutoAugmentCIFAR10()
        var a = SplitMix64(seed: 9), b = SplitMix64(seed: 9)
        let outputs = (0..<20).map { _ in policy.apply(to: image, rng: &a) }
        XCTAssertEqual(outputs, (0..<20).map { _ in policy.apply(to: image, rng: &b) })
        XCTAssertGreaterThan(Set(outputs.map(\.pixels)).count, 5)
    }
}
