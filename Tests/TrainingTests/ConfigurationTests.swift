import XCTest
import Datasets
import Methods
import NN
@testable import Training

/// Recipes, overrides, schedules and the accuracy bookkeeping, on hand-made inputs.
final class ConfigurationTests: XCTestCase {
    func testRecipePresetsAndOverrides() throws {
        let ldam = try Recipe.named("ldam")
        XCTAssertEqual([ldam.model.rawValue, "\(ldam.batchSize)", "\(ldam.epochs)"], ["resnet32", "128", "200"])
        let schedule = ldam.learningRateSchedule
        // LDAM-DRW: warm-up (e+1)/5, then 0.1, ×0.01 from epoch 160, ×0.0001 from 180.
        XCTAssertEqual(schedule.learningRate(epoch: 0), 0.02, accuracy: 1e-12)
        XCTAssertEqual(schedule.learningRate(epoch: 159), 0.1, accuracy: 1e-12)
        XCTAssertEqual(schedule.learningRate(epoch: 160), 0.001, accuracy: 1e-12)
        XCTAssertEqual(schedule.learningRate(epoch: 199), 0.00001, accuracy: 1e-12)
        let paper = try Recipe.named("bce3s-paper")
        XCTAssertEqual([paper.model.rawValue, "\(paper.batchSize)", "\(paper.epochs)"], ["resnet34", "64", "320"])
        // Stepped once before epoch 0: epoch 0 already uses cos(π/320).
        XCTAssertEqual(paper.learningRateSchedule.learningRate(epoch: 0), 0.005 * (1 + cos(Double.pi / 320)), accuracy: 1e-12)

        let job = try TrainingJob.make(method: "bce3s", methodOverrides: ["uniform_weight=0.5"],
                                       recipe: "ldam", recipeOverrides: ["epochs=15", "milestone_fractions=0.8,0.9"], seed: 1)
        XCTAssertEqual(job.recipe.epochs, 15)
        XCTAssertEqual(job.method.uniformWeight, 0.5)
        // 15 epochs: milestones at ⌊12⌋ and ⌊13.5⌋.
        XCTAssertEqual(job.recipe.learningRateSchedule.learningRate(epoch: 12), 0.001, accuracy: 1e-12)
        XCTAssertEqual(job.recipe.learningRateSchedule.learningRate(epoch: 13), 0.00001, accuracy: 1e-12)
        // A pipeline's YAML list arrives as a JSON array: the same job as the comma form.
        let listed = try TrainingJob.make(method: "bce3s", methodOverrides: ["uniform_weight=0.5"],
                                          recipe: "ldam", recipeOverrides: ["epochs=15", "milestone_fractions=[0.8,0.9]"], seed: 1)
        XCTAssertEqual(listed, job)
        for bad in [["model=resnet99"], ["epochs=0"], ["batchsize=3"], ["milestone_fractions=0.9,0.8"], ["milestone_fractions=[0.9,0.8]"]] {
            XCTAssertThrowsError(try TrainingJob.make(method: "ce", recipe: "ldam", recipeOverrides: bad, seed: 0)) { error in
                XCTAssertTrue(error is ConfigError, "\(bad): \(error)")
            }
        }
        XCTAssertThrowsError(try TrainingJob.make(method: "ce", recipe: "imagenet", seed: 0))
    }

    /// The job JSON stored in real checkpoints: CE from `results/reference-full` (its
    /// `model.safetensors` metadata) and LDAM-DRW from the 200-epoch run of
    /// `pipelines/cifar10-lt-if100.yaml` that was in flight when this test was written. A change
    /// here stops those checkpoints from resuming and their results from matching.
    func testJobJSONOfStoredCheckpointsIsUnchanged() throws {
        let recipe = #""recipe":{"augmentation":"standard","batch_size":128,"cosine_step_before_first_epoch":false,"epochs":200,"#
            + #""eval_batch_size":500,"eval_every":10,"learning_rate":0.1,"max_norm_fraction":0.1,"milestone_factors":[0.01,0.0001],"#
            + #""milestone_fractions":[0.8,0.9],"model":"resnet32","momentum":0.9,"schedule":"warmup_multistep","stage2_batch_size":64,"#
            + #""stage2_beta":0.99999,"stage2_epochs":0,"stage2_learning_rate":0.0001,"stage2_momentum":0.9,"stage2_negative_ratio":0.4,"#
            + #""stage2_weight_decay":0,"warmup_epochs":5,"weight_decay":0.0002},"seed":0}"#
        func method(drw: Bool, head: String, joint: String) -> String {
            #"{"few_below":20,"many_above":100,"method":{"contrastive":"off","contrastive_weight":0.1,"cutmix_target":"lambda","#
                + #""drw":\#(drw),"drw_beta":0.9999,"drw_start_fraction":0.8,"focal_gamma":1,"head":"\#(head)","joint":"\#(joint)","#
                + #""ldam_max_margin":0.5,"ldam_scale":30,"logit_clamp":64,"mixing":false,"negative_ratio":0.4,"negative_weight":1,"#
                + #""projection_dimension":128,"sampler_power":0,"temperature":1,"uniform":"off","uniform_scale":1,"uniform_weight":1},"#
        }
        let overrides = ["model=resnet32", "epochs=200", "eval_every=10", "precision=fp32"]
        let ce = try TrainingJob.make(method: "ce", recipe: "ldam", recipeOverrides: overrides, seed: 0)
        XCTAssertEqual(try ce.canonicalJSON(), method(drw: false, head: "linear", joint: "ce") + #""method_name":"ce","# + recipe)
        let ldam = try TrainingJob.make(method: "ldam_drw", recipe: "ldam", recipeOverrides: overrides, seed: 0)
        XCTAssertEqual(try ldam.canonicalJSON(), method(drw: true, head: "cosine", joint: "ldam") + #""method_name":"ldam_drw","# + recipe)
    }

    /// fp32 must keep the identity runs had before `precision` existed (their checkpoints resume
    /// and their results stay cached); bf16 is another job.
    func testPrecisionIsLeftOutOfAnFP32JobsIdentity() throws {
        let plain = try TrainingJob.make(method: "ce", recipe: "ldam", seed: 0)
        let fp32 = try TrainingJob.make(method: "ce", recipe: "ldam", recipeOverrides: ["precision=fp32"], seed: 0)
        let bf16 = try TrainingJob.make(method: "ce", recipe: "ldam", recipeOverrides: ["precision=bf16"], seed: 0)
        XCTAssertFalse(try plain.canonicalJSON().contains("precision"))
        XCTAssertEqual(try fp32.canonicalJSON(), try plain.canonicalJSON())
        XCTAssertEqual(fp32, plain)
        let bf16JSON = try bf16.canonicalJSON()
        XCTAssertTrue(bf16JSON.contains(#""precision":"bf16""#), bf16JSON)
        XCTAssertEqual(bf16.recipe.convolutionPrecision, .bf16)
        XCTAssertEqual(plain.recipe.convolutionPrecision, .fp32)
        XCTAssertThrowsError(try TrainingJob.make(method: "ce", recipe: "ldam", recipeOverrides: ["precision=fp16"], seed: 0)) { error in
            XCTAssertTrue("\(error)".contains("precision"), "\(error)")
        }
        XCTAssertThrowsError(try TrainingJob.make(method: "ce", recipe: "ldam", recipeOverrides: ["precison=bf16"], seed: 0)) { error in
            XCTAssertTrue("\(error)".contains("precision"), "the error lists the optional field: \(error)")
        }
    }

    func testAccuraciesByShotGroup() {
        // Counts 150 (many), 50 (medium), 5 (few); class 0 all right, class 1 half, class 2 none.
        let labels = [0, 0, 1, 1, 2, 2], predictions = [0, 0, 1, 0, 1, 0]
        let a = Evaluation.accuracies(predictions: predictions, labels: labels, classCounts: [150, 50, 5], rule: .standard)
        XCTAssertEqual(a.top1, 3.0 / 6)
        XCTAssertEqual(a.perClass, [1, 0.5, 0])
        XCTAssertEqual(a.groups, [.many: 1, .medium: 0.5, .few: 0])
        // Exactly 20 is Medium by the common rule and Few by the BCE3S code's.
        let b = Evaluation.accuracies(predictions: [0, 1], labels: [0, 1], classCounts: [200, 20], rule: .bce3sCode)
        XCTAssertEqual(b.groups[.few], 1)
        XCTAssertNil(b.groups[.medium])
    }
}
