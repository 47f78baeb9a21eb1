import Foundation
import XCTest
import Datasets
import NN
import Pipeline
@testable import Steps

/// Step parameters are parsed once into types: an unknown name is an error naming the parameter
/// and what it could be.
final class TypedParameterTests: XCTestCase {
    private func parameters(_ values: [String: ParameterValue]) -> Parameters {
        Parameters(["dataset": .string("cifar100"), "imbalance": .int(50)].merging(values) { _, new in new })
    }

    func testADatasetChoiceHoldsTypedValuesAndItsDefaults() throws {
        let choice = try DatasetChoice(parameters(["policy": .string("first")]))
        XCTAssertEqual(choice.dataset, .cifar100)
        XCTAssertEqual(choice.profile, .exponential)
        XCTAssertEqual(choice.policy, .first)
        XCTAssertEqual(choice.label, "cifar100-LT IF 50 (exponential, first)")
    }

    func testAnUnknownDatasetProfileOrPolicyNamesTheParameterAndTheChoices() {
        for (key, value, choices) in [("dataset", "imagenet", "cifar10, cifar100"), ("profile", "linear", "exponential, step"),
                                      ("policy", "random", "ldam, first")] {
            XCTAssertThrowsError(try DatasetChoice(parameters([key: .string(value)]))) { error in
                XCTAssertEqual(error as? ParameterError,
                               ParameterError(key: key, problem: "expected one of \(choices), found '\(value)'"))
            }
        }
    }

    func testAnUnknownModelParameterNamesTheParameterAndTheBackbones() {
        let p = parameters(["method": .string("ce"), "model": .string("resnet50")])
        XCTAssertThrowsError(try TrainStep.job(p)) { error in
            let parameterError = error as? ParameterError
            XCTAssertEqual(parameterError?.key, "model", "\(error)")
            XCTAssertTrue(parameterError?.problem.contains("expected one of resnet32, resnet32-glmc, resnet34, small") ?? false, "\(error)")
        }
        XCTAssertEqual(try TrainStep.job(parameters(["method": .string("ce"), "model": .string("small")])).recipe.model, .small)
    }

    func testATrainingResultWithAnUnknownModelIsRefusedNamingTheField() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trained-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = directory.appendingPathComponent("result.json")
        try Data(#"{"job": {"method_name": "ce", "seed": 0, "recipe": {"model": "resnet50", "stage2_epochs": 0}}}"#.utf8).write(to: result)
        let input = StepInput(key: "k", name: "train-ce", artifacts: ["result.json": result, "model.safetensors": result], metrics: [])
        XCTAssertThrowsError(try TrainedModel(input)) { error in
            XCTAssertTrue("\(error)".contains("field 'job.recipe.model': unknown backbone 'resnet50'; expected one of resnet32, resnet32-glmc, resnet34, small"),
                          "\(error)")
        }
    }
}
