import Foundation
import XCTest

/// The `train` and `analyse` step kinds reject bad pipeline files before anything runs
/// (exit status 2, file:line and the parameter named).
final class TrainStepValidationTests: CLITestCase {
    private func pipeline(train: String, analyse: String = "{seed: 0}") -> String {
        """
        pipeline: bad
        steps:
          - name: data
            kind: dataset
            params: {dataset: cifar10, imbalance: 10}
          - name: train
            kind: train
            params: \(train)
            inputs: {data: data}
          - name: analyse
            kind: analyse
            params: \(analyse)
            inputs: {model: train, data: data}
        """
    }

    private func assertRejected(train: String, analyse: String = "{seed: 0}", mentioning expected: String,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        try write(pipeline(train: train, analyse: analyse), to: "bad.yaml")
        let output = try bce3s("run", "bad.yaml", "--data-dir", "nowhere")
        XCTAssertEqual(output.status, 2, output.stdout + output.stderr, file: file, line: line)
        XCTAssertTrue(output.stderr.contains("bad.yaml:") && output.stderr.contains(expected), output.stderr, file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("results/artifacts").path),
                       "nothing may run", file: file, line: line)
    }

    func testUnknownMethodRecipeFieldAndMissingLabels() throws {
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: nope}", mentioning: "unknown method 'nope'")
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: bce3s+stag2}",
                           mentioning: "parameter 'method': unknown method 'bce3s+stag2' (did you mean 'bce3s+stage2'?); "
                               + "expected one of ce, focal, ldam_drw, balanced_softmax, bce, bce3s, bce_joint, bce_joint_contrastive, "
                               + "bce_joint_uniform, ce_joint, ce3s, followed by '+stage2' when stage2_epochs > 0")
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: ce, recipe: ldma}",
                           mentioning: "parameter 'recipe': unknown recipe 'ldma' (did you mean 'ldam'?); expected one of ldam, bce3s-paper")
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: ce, set_recipe: {epoch: 3}}", mentioning: "epoch")
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: ce, epochs: 4, set_recipe: {epochs: 3}}",
                           mentioning: "parameter 'epochs': epochs: 4 and set_recipe: {epochs: 3} both set the recipe's 'epochs'; give one of them")
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: ce, model: small, set_recipe: {model: resnet32}}",
                           mentioning: "parameter 'model': model: small and set_recipe: {model: resnet32} both set")
        try assertRejected(train: "{imbalance: 10, method: ce}", mentioning: "parameter 'dataset': missing required parameter")
        try assertRejected(train: "{dataset: cifar10, imbalance: 0, method: ce}",
                           mentioning: "parameter 'imbalance': expected an imbalance factor >= 1, found 0\n")
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: ce, threads: 0}", mentioning: "parameter 'threads'")
        // A field of a preset's recipe or method points at the mapping that set it.
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: ce, set_recipe: {learning_rate: fast}}",
                           mentioning: "parameter 'set_recipe': recipe ldam: field 'learning_rate'")
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: ce, set_method: {no_such_field: 1}}",
                           mentioning: "parameter 'set_method': method ce: field 'no_such_field'")
    }

    func testStage2RunsMustBeLabelledSoTablesTellThemApart() throws {
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: bce3s, stage2_epochs: 2}",
                           mentioning: "'bce3s+stage2'")
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: bce3s+stage2}", mentioning: "stage2_epochs > 0")
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: ce, stage2_epochs: 2}", mentioning: "stage 2")
        // Stage-2 fields without stage 2 change no weight but would split the runs into conditions.
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: ce, set_recipe: {stage2_batch_size: 16}}",
                           mentioning: "field 'stage2_batch_size': sets stage 2, but this job has no stage 2")
    }

    /// A method field that the method does not read (its part is off) is refused for the same
    /// reason: `sampler_power` on CE, which does not mix, would retrain an identical model.
    func testMethodFieldsTheMethodDoesNotReadAreRefused() throws {
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: ce, set_method: {sampler_power: 0.3}}",
                           mentioning: "field 'sampler_power': changes nothing in this job (only mixing reads it, and mixing is off)")
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: ldam_drw, set_method: {focal_gamma: 2}}",
                           mentioning: "field 'focal_gamma': changes nothing in this job (only the focal joint loss reads it, and joint is ldam)")
        try write(pipeline(train: "{dataset: cifar10, imbalance: 10, method: ce, set_method: {mixing: true, sampler_power: 0.3}}",
                           analyse: "{seed: 0}"), to: "mixing.yaml")
        let mixing = try bce3s("run", "mixing.yaml", "--data-dir", "nowhere", "--dry-run")
        XCTAssertEqual(mixing.status, 0, "with mixing on, sampler_power is read: " + mixing.stderr)
    }

    /// Inputs that name steps of the wrong kind or several steps where one is read, and a train
    /// step labelled with another setting than its data step draws, are refused when the file is loaded (a table over the dataset step
    /// published empty tables; the others failed only when they ran).
    func testInputsOfTheWrongKindAndContradictingLabelsAreRefusedBeforeAnythingRuns() throws {
        let steps = """
            pipeline: bad
            steps:
              - {name: data, kind: dataset, params: {dataset: cifar10, imbalance: 10}}
              - {name: train, kind: train, params: {dataset: cifar10, imbalance: 10, method: ce}, inputs: {data: data}}

            """
        for (extra, expected) in [
            ("  - {name: table, kind: table, inputs: {runs: data}}\n", "input 'runs' takes train steps, but names a 'dataset' step"),
            ("  - {name: figures, kind: figures, inputs: {runs: train, analyses: train}}\n", "input 'analyses' takes analyse steps"),
            ("  - {name: analyse, kind: analyse, inputs: {model: data, data: data}}\n", "input 'model' takes train steps"),
            ("  - {name: analyse, kind: analyse, inputs: {model: train, data: train}}\n", "input 'data' takes dataset steps"),
            ("  - {name: other, kind: train, params: {dataset: cifar10, imbalance: 100, method: ce}, inputs: {data: data}}\n",
             "parameter 'imbalance': says "),
            ("  - {name: twice, kind: train, params: {dataset: cifar10, imbalance: 10, method: ce}, inputs: {data: [data, data]}}\n",
             "input 'data' takes one dataset step, but names 2"),
            ("  - {name: analyse, kind: analyse, inputs: {model: [train, train], data: data}}\n", "input 'model' takes one train step, but names 2"),
        ] {
            try write(steps + extra, to: "bad.yaml")
            let output = try bce3s("run", "bad.yaml", "--data-dir", "nowhere")
            XCTAssertEqual(output.status, 2, output.stdout + output.stderr)
            XCTAssertTrue(output.stderr.contains("bad.yaml:") && output.stderr.contains(expected), output.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("results/artifacts").path))
        }
    }

    func testAnalyseParameters() throws {
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: ce}", analyse: "{tsne_points: 3}",
                           mentioning: "parameter 'tsne_points'")
        try assertRejected(train: "{dataset: cifar10, imbalance: 10, method: ce}", analyse: "{colour: red}",
                           mentioning: "parameter 'colour': unknown parameter")
    }
}
