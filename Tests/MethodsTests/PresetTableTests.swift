import Foundation
import XCTest
@testable import Methods

/// The method presets are one table: each name gives its own spec, names are unique, every
/// preset has a summary, and the README's preset table lists exactly them.
final class PresetTableTests: XCTestCase {
    func testEveryPresetRoundTripsThroughItsName() throws {
        XCTAssertEqual(Set(MethodSpec.presetNames).count, MethodSpec.presets.count, "duplicate preset names")
        for preset in MethodSpec.presets {
            XCTAssertEqual(try MethodSpec.named(preset.name), preset.spec, preset.name)
            XCTAssertFalse(preset.summary.isEmpty, preset.name)
            XCTAssertNoThrow(try preset.spec.validate(), preset.name)
        }
        for (i, a) in MethodSpec.presets.enumerated() {
            for b in MethodSpec.presets[(i + 1)...] { XCTAssertNotEqual(a.spec, b.spec, "\(a.name) and \(b.name) are one spec") }
        }
    }

    func testAnUnknownNameListsEveryPreset() {
        XCTAssertThrowsError(try MethodSpec.named("softmax")) { error in
            let config = error as? ConfigError
            XCTAssertEqual(config?.field, "name")
            XCTAssertEqual(config?.message, "unknown method 'softmax'; expected one of " + MethodSpec.presetNames.joined(separator: ", "))
        }
    }

    func testTheReadmeTableListsExactlyThePresets() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/Methods/README.md").standardizedFileURL
        let rows = try String(contentsOf: readme, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("| `") }
            .map { $0.dropFirst(3).prefix { $0 != "`" } }
            .map(String.init)
        XCTAssertEqual(rows.sorted(), MethodSpec.presetNames.sorted())
    }
}
