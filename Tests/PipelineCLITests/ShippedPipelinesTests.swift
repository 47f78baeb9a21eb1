import Foundation
import XCTest

/// Every pipeline under `pipelines/` is valid for this binary: `run --dry-run` plans it
/// (parameters checked by each step kind) without data and without running anything.
final class ShippedPipelinesTests: CLITestCase {
    func testEveryShippedPipelinePlans() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../pipelines")
            .standardizedFileURL
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertEqual(files, ["bf16-parity.yaml", "cifar10-lt-if100-ablation.yaml", "cifar10-lt-if100-gap.yaml", "cifar10-lt-if100-glmc.yaml",
                               "cifar10-lt-if100.yaml",
                               "cifar10-lt.yaml", "cifar100-lt-if100-ablation.yaml", "cifar100-lt.yaml", "paper.yaml", "quick.yaml", "smoke.yaml"])
        let expectedSteps = ["bf16-parity.yaml": 9, "cifar10-lt-if100-ablation.yaml": 15, "cifar10-lt-if100-gap.yaml": 11, "cifar10-lt-if100-glmc.yaml": 7, "cifar10-lt-if100.yaml": 11, "cifar10-lt.yaml": 95, "cifar100-lt-if100-ablation.yaml": 45, "cifar100-lt.yaml": 95, "paper.yaml": 5, "quick.yaml": 11, "smoke.yaml": 7]
        for file in files {
            let output = try bce3s("run", folder.appendingPathComponent(file).path, "--dry-run")
            XCTAssertEqual(output.status, 0, "\(file): \(output.stderr)")
            let planned = output.stdout.split(separator: "\n").filter { $0.hasSuffix(" new") || $0.contains("input will run") }.count
            XCTAssertEqual(planned, expectedSteps[file], "\(file):\n\(output.stdout)")
        }
    }

    /// The README's pipeline examples (```yaml blocks with `steps:`) plan as they are printed, so
    /// a reader who copies one gets a pipeline and not an error.
    func testTheReadmePipelineExamplesPlan() throws {
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../README.md").standardizedFileURL, encoding: .utf8)
        let examples = readme.components(separatedBy: "```yaml\n").dropFirst()
            .compactMap { $0.components(separatedBy: "```").first }.filter { $0.contains("steps:") }
        XCTAssertFalse(examples.isEmpty, "no pipeline example found in README.md")
        for (index, example) in examples.enumerated() {
            try write(example, to: "example\(index).yaml")
            let output = try bce3s("run", "example\(index).yaml", "--dry-run")
            XCTAssertEqual(output.status, 0, "README example \(index):\n\(example)\n\(output.stderr)")
        }
    }
}
