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

    /// Each out-of-range value is refused naming its own field (they used to share one name, or
    /// pass: a negative weight decay, a momentum of 5).
    func testOutOfRangeValuesNameTheirField() throws {
        let edits: [(String, (inout Recipe) -> Void)] = [
            ("stage2_epochs", { $0.stage2Epochs = -1 }), ("warmup_epochs", { $0.warmupEpochs = -1 }),
            ("momentum", { $0.momentum = 5 }), ("weight_decay", { $0.weightDecay = -1 }),
            ("stage2_learning_rate", { $0.stage2LearningRate = 0 }), ("stage2_momentum", { $0.stage2Momentum = -0.1 }),
        ]
        for (field, edit) in edits {
            var recipe = try Recipe.named("ldam")
            edit(&recipe)
            XCTAssertThrowsError(try recipe.validate(), field) { XCTAssertEqual(($0 as? ConfigError)?.field, field) }
        }
        var method = try MethodSpec.named("focal")
        method.focalGamma = -1
        XCTAssertThrowsError(try method.validate()) { XCTAssertEqual(($0 as? ConfigError)?.field, "focal_gamma") }
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
