import ArgumentParser
import Foundation
import Pipeline
import Steps
import Store

extension ShowCommand {
    /// Prints what is known of a step that a run started and that has no stored result yet (a
    /// training in flight, or interrupted and waiting for a rerun to resume it): its key, the
    /// latest run's job and whether it still runs, its log, and what its work directory holds (a
    /// training's epochs so far, one line each, with the test accuracy of evaluated epochs).
    /// `argument` is the name a run gave the step or a prefix of its key. Returns false when no
    /// run recorded such a step; throws when a key prefix matches several.
    static func printUnfinished(_ argument: String, store: ExperimentStore, layout: ResultsLayout) throws -> Bool {
        let isKeyPrefix = argument.count >= shortestPrefix && argument.allSatisfy(\.isHexDigit)
        let found = try store.unfinishedRunSteps(named: argument, keyPrefix: isKeyPrefix ? argument : nil)
        let byName = found.filter { $0.name == argument }
        let keys = Set(found.compactMap(\.stepKey))
        guard byName.isEmpty, keys.count > 1 else {
            guard let latest = byName.first ?? found.first, let key = latest.stepKey else { return false }
            try printUnfinished(latest, key: key, store: store, layout: layout)
            return true
        }
        throw ValidationError("'\(argument)' is the prefix of \(keys.count) keys of unfinished steps; give more characters")
    }

    private static func printUnfinished(_ latest: RunStepRecord, key: String, store: ExperimentStore,
                                        layout: ResultsLayout) throws {
        let run = try store.run(id: latest.runID)
        let started = run.map { " (started \($0.startedAt))" } ?? ""
        print("step      \(latest.name) (not finished: no stored result yet)")
        print("key       \(key)")
        if latest.outcome == .running {
            let queue = latest.executor == "slurm" ? SlurmCluster().queue() : nil
            print("job       run \(latest.runID)\(started): \(StatusCommand.jobState(latest, queue: queue))")
        } else {
            print("job       run \(latest.runID)\(started), \(latest.outcome.rawValue) before the step finished; "
                  + "a rerun of its pipeline resumes it")
        }
        print("reason    \(latest.reason)")
        print("log       \(located(layout.log(key)))")
        print("work      \(located(layout.work(key)))")
        guard let progress = StepCatalog.registry.progress(workDirectory: layout.work(key)) else {
            print("progress  none saved (a rerun starts it from the beginning)")
            return
        }
        print("progress  \(progress.kind): \(progress.summary)")
        for line in progress.history { print("done      \(line)") }
    }
}
