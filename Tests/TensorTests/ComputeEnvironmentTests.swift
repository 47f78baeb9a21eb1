import CDNNL
import Foundation
import XCTest
@testable import Tensor

/// The machine description a stored step carries, checked against what the system says itself.
final class ComputeEnvironmentTests: XCTestCase {
    func testTheSummaryNamesThisCPUAndTheLibrariesInOrder() throws {
        let summary = ComputeEnvironment.summary
        let parts = summary.components(separatedBy: "; ")
        XCTAssertEqual(parts.count, 4, summary)
        XCTAssertTrue(parts[0].hasSuffix(", \(ProcessInfo.processInfo.activeProcessorCount) CPUs"), summary)
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }) {
            let name = line.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
            XCTAssertTrue(parts[0].hasPrefix(name + " ("), summary)
        }
        XCTAssertTrue(parts[1].hasPrefix("oneDNN 2.") || parts[1].hasPrefix("oneDNN 3."), summary)
        XCTAssertTrue(parts[2].hasPrefix("OpenBLAS "), summary)
        XCTAssertEqual(parts[3].split(separator: " ").first.map(String.init), "Linux", summary)
    }

    func testInstructionSetNamesAreOneDNNsAndUnknownOnesHex() {
        XCTAssertEqual(ComputeEnvironment.isaName(dnnl_cpu_isa_t(rawValue: 0xe7)), "avx512_core_bf16")
        XCTAssertEqual(ComputeEnvironment.isaName(dnnl_cpu_isa_t(rawValue: 0x7)), "avx2")
        XCTAssertEqual(ComputeEnvironment.isaName(dnnl_cpu_isa_t(rawValue: 0x1234)), "0x1234")
    }
}
