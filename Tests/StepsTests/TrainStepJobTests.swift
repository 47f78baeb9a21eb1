import Foundation
import XCTest
import Pipeline
import Training
@testable import Steps

/// `TrainStep.job`: the training job a `train` step builds from its pipeline parameters, and the
/// parameter its errors name.
final class TrainStepJobTests: XCTestCase {
    private func job(_ parameters: [String: ParameterValue]) throws -> TrainingJob {
        try TrainStep.job(Parameters(parameters))
    }

    private func errorKey(_ parameters: [String: ParameterValue], file: StaticString = #filePath, line: UInt = #line) -> String? {
        do {
            _ = try job(parameters)
            XCTFail("expected a ParameterError for \(parameters)", file: file, line: line)
            return nil
        } catch let error as ParameterError {
            return error.key
        } catch {
            XCTFail("expected a ParameterError, got \(error)", file: file, line: line)
            return nil
        }
    }

    func testShorthandsAndOverridesReachTheJob() throws {
        let plain = try job(["method": .string("ce")])
        XCTAssertEqual(plain.methodName, "ce")
        XCTAssertEqual(plain.seed, 0)
        XCTAssertEqual(plain.recipe.epochs, 200, "the ldam recipe by default")
        XCTAssertEqual(plain.recipe.learningRate, 0.1)
        XCTAssertEqual(plain.recipe.stage2Epochs, 0)
        XCTAssertEqual(plain.manyAbove, 100)
        XCTAssertEqual(plain.fewBelow, 20)

        let custom = try job(["method": .string("ce"), "epochs": .int(3), "seed": .int(7), "many_above": .int(50),
                              "few_below": .int(5), "set_recipe": .map(["learning_rate": .double(0.05)])])
        XCTAssertEqual(custom.recipe.epochs, 3)
        XCTAssertEqual(custom.recipe.learningRate, 0.05)
        XCTAssertEqual(custom.seed, 7)
        XCTAssertEqual(custom.manyAbove, 50)
        XCTAssertEqual(custom.fewBelow, 5)
        XCTAssertEqual(try job(["method": .string("ce"), "recipe": .string("bce3s-paper")]).recipe.epochs, 320)
    }

    /// `epochs: 4` with `set_recipe: {epochs: 9}` is refused, naming the shorthand: the shorthand used
    /// to win silently, and the stored parameters then said both.
    func testAShorthandAndTheSameFieldInSetRecipeAreRefused() throws {
        XCTAssertEqual(errorKey(["method": .string("ce"), "epochs": .int(4), "set_recipe": .map(["epochs": .int(9)])]), "epochs")
        XCTAssertEqual(errorKey(["method": .string("bce3s+stage2"), "stage2_epochs": .int(2),
                                 "set_recipe": .map(["stage2_epochs": .int(3)])]), "stage2_epochs")
        XCTAssertEqual(try job(["method": .string("ce"), "epochs": .int(4), "set_recipe": .map(["warmup_epochs": .int(1)])]).recipe.epochs, 4)
    }

    func testStageTwoNeedsTheSuffixAndTheSuffixNeedsStageTwo() throws {
        let staged = try job(["method": .string("bce3s+stage2"), "stage2_epochs": .int(2)])
        XCTAssertEqual(staged.methodName, "bce3s")
        XCTAssertEqual(staged.recipe.stage2Epochs, 2)
        XCTAssertEqual(errorKey(["method": .string("bce3s"), "stage2_epochs": .int(2)]), "method")
        XCTAssertEqual(errorKey(["method": .string("bce3s+stage2")]), "method")
    }

    func testErrorsNameTheParameterTheyComeFrom() {
        XCTAssertEqual(errorKey(["method": .string("ce"), "epochs": .int(0)]), "epochs")
        XCTAssertEqual(errorKey(["method": .string("ce"), "set_recipe": .map(["learning_rate": .double(-1)])]), "set_recipe")
        XCTAssertEqual(errorKey(["method": .string("ce"), "set_recipe": .string("lr=1")]), "set_recipe")
        XCTAssertEqual(errorKey(["method": .string("ce"), "seed": .int(-1)]), "seed")
        XCTAssertEqual(errorKey(["method": .string("ce"), "model": .string("resnet9000")]), "model")
    }

    func testProgressReadsTheTrainersCheckpointInTheWorkDirectory() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("progress-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        XCTAssertNil(TrainStep().progress(workDirectory: work), "no work directory: nothing to say")
        let trainer = TrainStep.trainerDirectory(in: work)
        try FileManager.default.createDirectory(at: trainer, withIntermediateDirectories: true)
        try Data("not a checkpoint".utf8).write(to: trainer.appendingPathComponent("state.safetensors"))
        let text = try XCTUnwrap(TrainStep().progress(workDirectory: work))
        XCTAssertTrue(text.hasPrefix("checkpoint unreadable: ") && text.contains("state.safetensors"), text)
    }
}
