import Foundation
import XCTest
import Methods
import NN
@testable import Training

/// Fixed-choice fields (`ListedChoice`): `Recipe.model` is a `Backbone` whose JSON is the same
/// name it was as a string, and an unknown value of any such field is an error naming the field,
/// the value and the accepted values.
final class ListedChoiceTests: XCTestCase {
    func testAnUnknownModelOverrideNamesTheFieldAndTheChoices() {
        XCTAssertThrowsError(try TrainingJob.make(method: "ce", recipe: "ldam", recipeOverrides: ["model=resnet50"], seed: 0)) { error in
            let config = error as? ConfigError
            XCTAssertEqual(config?.field, "model", "\(error)")
            XCTAssertTrue(config?.message.contains("unknown backbone 'resnet50'; expected one of resnet32, resnet32-glmc, resnet34, small") ?? false, "\(error)")
        }
    }

    /// Every other fixed-choice field of a recipe or a method names the value and lists the
    /// accepted ones too (`ListedChoice`), in the field's own words, the value said once.
    func testEveryChoiceFieldListsItsAcceptedValues() {
        let recipeCases: [(String, String)] = [
            ("precision=fp16", "field 'precision': unknown precision 'fp16'; expected one of fp32, bf16"),
            ("schedule=step", "field 'schedule': unknown schedule 'step'; expected one of warmup_multistep, cosine"),
            ("augmentation=mixup", "field 'augmentation': unknown augmentation 'mixup'; expected one of standard, bce3s"),
        ]
        for (assignment, expected) in recipeCases {
            XCTAssertThrowsError(try TrainingJob.make(method: "ce", recipe: "ldam", recipeOverrides: [assignment], seed: 0)) { error in
                XCTAssertEqual("\(error)", "recipe ldam: \(expected)")
            }
        }
        let methodCases: [(String, String)] = [
            ("head=mlp", "field 'head': unknown head 'mlp'; expected one of linear, normalized, cosine"),
            ("joint=hinge", "field 'joint': unknown joint loss 'hinge'; expected one of ce, focal, ldam, balanced_softmax, bce"),
            ("contrastive=on", "field 'contrastive': unknown term switch 'on'; expected one of off, bce, ce"),
            ("cutmix_target=box", "field 'cutmix_target': unknown CutMix target 'box'; expected one of lambda, area"),
        ]
        for (assignment, expected) in methodCases {
            XCTAssertThrowsError(try TrainingJob.make(method: "bce3s", methodOverrides: [assignment], recipe: "ldam", seed: 0)) { error in
                XCTAssertEqual("\(error)", "method bce3s: \(expected)")
            }
        }
    }

    func testDecodingAnUnknownModelNamesTheFieldAndTheChoices() throws {
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(Recipe.named("ldam"))) as? [String: Any])
        object["model"] = "resnet50"
        XCTAssertThrowsError(try JSONDecoder().decode(Recipe.self, from: JSONSerialization.data(withJSONObject: object))) { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(context.codingPath.map(\.stringValue), ["model"])
            XCTAssertEqual(context.debugDescription, "unknown backbone 'resnet50'; expected one of resnet32, resnet32-glmc, resnet34, small")
        }
    }

    func testEveryBackboneEncodesAsItsNameAndBuildsItsNetwork() throws {
        for backbone in Backbone.allCases {
            XCTAssertEqual(String(decoding: try JSONEncoder().encode([backbone]), as: UTF8.self), "[\"\(backbone.rawValue)\"]")
            XCTAssertEqual(try JSONDecoder().decode([Backbone].self, from: Data("[\"\(backbone.rawValue)\"]".utf8)), [backbone])
        }
        XCTAssertEqual(Backbone.resnet32.configuration.blocksPerStage, [5, 5, 5])
        XCTAssertEqual(Backbone.resnet32GLMC.configuration.stageChannels, [64, 128, 256])
        XCTAssertEqual(try JSONDecoder().decode(Backbone.self, from: Data("\"resnet32-glmc\"".utf8)), .resnet32GLMC)
        XCTAssertEqual(Backbone.resnet34.configuration.blocksPerStage, [3, 4, 6, 3])
        XCTAssertEqual(Backbone.small.configuration.blocksPerStage, [1, 1, 1])
    }
}
