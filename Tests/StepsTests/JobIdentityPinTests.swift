import XCTest
import Methods
import Pipeline
import Training

/// Pins the identity of a training job — its canonical JSON, which every checkpoint is checked
/// against — for every method preset under both recipe presets, and for a model override: typing
/// the presets and the backbone must not change a byte of it, or a run in flight would refuse its
/// own checkpoints. The golden hashes were computed by the code before presets and backbones were types.
final class JobIdentityPinTests: XCTestCase {
    static let golden: [String: String] = [
        "bce3s-paper balanced_softmax": "885297631ecbde24720ba5385b5465253aae9011e653be2dbe81c7ccebf02c6c",
        "bce3s-paper bce": "6839439a11128e624a49e7873a2ed1e0322ec3ba3f99e6296f9d047d0a8fcc98",
        "bce3s-paper bce3s": "8214847c79dca79f52c41c6be2fdec914389216343e845c1c643378088ef2b6a",
        "bce3s-paper bce_joint": "dbc09f00e8bbd6ed8d3ac37af6a33bec62d46b585db46f0ea9c72f620722d497",
        "bce3s-paper bce_joint_contrastive": "ce1fc2073d5ec78bd34c47ab8fb3273aad58d1eab3f5af2fc0815ba92c2ebda8",
        "bce3s-paper bce_joint_uniform": "ecebe742ced22feb35bf50d196387a8948be6393d71e4bf9ff00a9f2e30e96c3",
        "bce3s-paper ce": "fa44db899ba4a34bcde0bc40e4390062754ec59eac857b660061b934e47512e7",
        "bce3s-paper ce3s": "bd091141136633f010495206550578ce58e1d95f75f42a60054e60e5de7eb40d",
        "bce3s-paper ce_joint": "3df15cfe68718b2ee0298325b664ed4bfe30f60bf3afb3b2c5ed090503c2b075",
        "bce3s-paper focal": "565cc19f12b478afa92e19897372ba8f6222d90305070524f64a65d3caa94420",
        "bce3s-paper ldam_drw": "a0754c14ecafae80976b48efe7484475f655909277d4dd0f3d6e0fe5fc081bc6",
        "ldam balanced_softmax": "f710162df149a05bb20fec4fcf0cd67c655c0ed895b6563a16d9aaf730743aea",
        "ldam bce": "26028c3847e8aec6c579c1d19e0961dc074ba46d529d48d6565da631af975865",
        "ldam bce3s": "a8b313603f7a362dec5d08d589ead58054be99f035436e5b07ecc0ddc07938ba",
        "ldam bce3s model=resnet34 precision=bf16 stage2_epochs=10": "52eebb59a3c2db9dea13f5358d83cf68eedaf4793a59b831309a05838670fe10",
        "ldam bce_joint": "4e376b62a0cc98823c4d068e4cdf066a9886704e0d5c8f5460468361fe1ef356",
        "ldam bce_joint_contrastive": "7cfe06f7ce8c7b017df65be5b093a82d602a67d156cc7b148dfaf691f1f40e6f",
        "ldam bce_joint_uniform": "08e0bd469ea6c482a9d2869521cd763c6d5520b3241b54c4e1c21ad080a575ec",
        "ldam ce": "1f85fb1fbf02217543b0686aeb06b2ba1da6c61344a19b42080865efee3e576f",
        // The job of the committed 200-epoch CE run (results/reference-full): its checkpoint's metadata.
        "ldam ce eval_every=10": "39d3534302a2e920559f3eab1348bf059292ce3af145276c412d0364b0fa1c92",
        "ldam ce model=small": "0cb605d35208064f7d938d64f7a028e32ad3c9464a2d868fc27b493fd31f679a",
        "ldam ce3s": "4b3add4bee67f4087ab1dc7b20d1d1df23cea772f0344a72f9600be5871b1bbb",
        "ldam ce_joint": "2341754229afd04fa168b1fcaecf4668205038da0b1b27fc1fca7fa37c47618e",
        "ldam focal": "e787b3197b0febdfbc2505e667dd5668631dd4509125f4273a7993ad4f091dd2",
        "ldam ldam_drw": "60e7958e6bc4dbc1547c52df2a01d01f65e8bc4cab3d3203e376f3f1661edf19",
    ]

    static let cases: [(recipe: String, method: String, overrides: [String])] =
        ["ldam", "bce3s-paper"].flatMap { recipe in MethodSpec.presetNames.map { (recipe, $0, [String]()) } }
        + [("ldam", "ce", ["eval_every=10"]), ("ldam", "ce", ["model=small"]), ("ldam", "bce3s", ["model=resnet34", "precision=bf16", "stage2_epochs=10"])]

    func testJobIdentityOfEveryPresetIsUnchanged() throws {
        var actual: [String: String] = [:]
        for c in Self.cases {
            let job = try TrainingJob.make(method: c.method, recipe: c.recipe, recipeOverrides: c.overrides, seed: 0)
            actual[([c.recipe, c.method] + c.overrides).joined(separator: " ")] = Digest.sha256(try job.canonicalJSON())
        }
        let listing = actual.keys.sorted().map { "\"\($0)\": \"\(actual[$0]!)\"," }.joined(separator: "\n")
        XCTAssertEqual(actual, Self.golden, "actual:\n\(listing)")
    }
}
