import Foundation
import XCTest
import Methods
import NN
@testable import Training

/// `Recipe.model` is a `Backbone`: its JSON is the same name it was as a string, and an unknown
/// name is an error naming the field and the backbones there are.
final class BackboneChoiceTests: XCTestCase {
    func testAnUnknownModelOverrideNamesTheFieldAndTheChoices() {
        XCTAssertThrowsError(try TrainingJob.make(method: "ce", recipe: "ldam", recipeOverrides: ["model=resnet50"], seed: 0)) { error in
            let config = error as? ConfigError
            XCTAssertEqual(config?.field, "model", "\(error)")
            XCTAssertTrue(config?.message.contains("unknown backbone 'resnet50'; expected one of resnet32, resnet32-glmc, resnet34, small") ?? false, "\(error)")
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
