import XCTest
@testable import NN

/// Golden values in `Fixtures/lr_schedules.json` come from `Fixtures/make_lr_schedule_fixture.py`:
/// LDAM-DRW's `adjust_learning_rate` (cross-checked there against torch's LinearLR + MultiStepLR),
/// torch's LinearLR stepped per iteration, and torch's CosineAnnealingLR with and without the
/// BCE3S authors' extra step before epoch 0.
final class LearningRateScheduleTests: XCTestCase {
    private var golden: [String: Any] = [:]

    override func setUpWithError() throws {
        golden = try XCTUnwrap(FixtureFiles.json("lr_schedules.json") as? [String: Any])
    }

    func testLDAMScheduleMatchesLDAMDRWPerEpoch() throws {
        let expected = try XCTUnwrap(golden["ldam_per_epoch"] as? [Double])
        XCTAssertEqual(expected.count, 200)
        let schedule = WarmupMultiStepSchedule.ldam(base: 0.1)
        assertClose((0..<200).map { schedule.learningRate(epoch: $0) }, expected, "ldam")
        // Within an epoch the per-epoch schedule does not move.
        XCTAssertEqual(schedule.learningRate(epoch: 2, step: 96, stepsPerEpoch: 97), schedule.learningRate(epoch: 2))
    }

    func testPerStepWarmupMatchesTorchLinearLRSteppedEveryStep() throws {
        let fixture = try XCTUnwrap(golden["ldam_per_step_warmup"] as? [String: Any])
        let stepsPerEpoch = try XCTUnwrap(fixture["steps_per_epoch"] as? Int)
        let expected = try XCTUnwrap(fixture["values"] as? [Double])
        let schedule = WarmupMultiStepSchedule.ldam(base: 0.1, warmup: .perStep)
        let actual = (0..<expected.count).map {
            schedule.learningRate(epoch: $0 / stepsPerEpoch, step: $0 % stepsPerEpoch, stepsPerEpoch: stepsPerEpoch)
        }
        assertClose(actual, expected, "per-step warm-up")
    }

    func testCosineMatchesTorchCosineAnnealingLR() throws {
        let expected = try XCTUnwrap(golden["cosine"] as? [Double])
        let schedule = CosineAnnealingSchedule(base: 0.01, epochs: 320)
        assertClose((0..<320).map { schedule.learningRate(epoch: $0) }, expected, "cosine")
    }

    func testCosineWithTheAuthorsExtraStepMatchesTorchAndEndsAtZero() throws {
        let expected = try XCTUnwrap(golden["cosine_stepped_before_start"] as? [Double])
        let schedule = CosineAnnealingSchedule(base: 0.01, epochs: 320, stepBeforeFirstEpoch: true)
        let actual = (0..<320).map { schedule.learningRate(epoch: $0) }
        assertClose(actual, expected, "cosine, stepped before start")
        XCTAssertLessThan(actual[0], 0.01)
        XCTAssertEqual(actual[319], 0, accuracy: 1e-18)
    }

    func testMilestoneFactorsAreAbsoluteNotCumulative() {
        let schedule = WarmupMultiStepSchedule(base: 2, warmupEpochs: 0, milestones: [
            .init(epoch: 3, factor: 0.5), .init(epoch: 5, factor: 0.25),
        ])
        XCTAssertEqual((0..<7).map { schedule.learningRate(epoch: $0) }, [2, 2, 2, 1, 1, 0.5, 0.5])
    }

    /// Relative tolerance 1e-12: torch's recursive (chainable) formulas drift by a few ulps.
    private func assertClose(_ actual: [Double], _ expected: [Double], _ label: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, label, file: file, line: line)
        for (index, (a, e)) in zip(actual, expected).enumerated() where abs(a - e) > 1e-12 * abs(e) + 1e-18 {
            XCTFail("\(label)[\(index)]: \(a) != golden \(e)", file: file, line: line)
            return
        }
    }
}
