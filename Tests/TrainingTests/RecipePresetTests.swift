import Foundation
import XCTest
import Methods
@testable import Training

/// The recipe presets are one table: each name gives its own recipe, and the README's recipe
/// table lists exactly them with their backbones.
final class RecipePresetTests: XCTestCase {
    func testEveryRecipePresetRoundTripsThroughItsName() throws {
        XCTAssertEqual(Set(Recipe.presetNames).count, Recipe.presets.count)
        for preset in Recipe.presets {
            XCTAssertEqual(try Recipe.named(preset.name), preset.recipe, preset.name)
            XCTAssertNoThrow(try preset.recipe.validate(), preset.name)
            XCTAssertFalse(preset.summary.isEmpty, preset.name)
        }
        XCTAssertThrowsError(try Recipe.named("imagenet")) { error in
            XCTAssertEqual((error as? ConfigError)?.message, "unknown recipe 'imagenet'; expected one of ldam, bce3s-paper")
        }
    }

    func testTheReadmeTableListsExactlyThePresetsAndTheirBackbones() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/Training/README.md").standardizedFileURL
        let rows = try String(contentsOf: readme, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("| `") }
            .map { $0.split(separator: "|").prefix(2).map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["`"]) } }
        XCTAssertEqual(rows, Recipe.presets.map { [$0.name, $0.recipe.model.rawValue] })
    }
}
