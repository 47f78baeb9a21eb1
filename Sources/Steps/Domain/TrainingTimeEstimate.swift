import Foundation
import Pipeline
import Store
import Training

/// How long the trainings a pipeline still has to run will take on this machine, for
/// `bce3s status`: each one's epochs (stage 1 and stage 2, from its job) at median epoch times —
/// its own, from its checkpoint, for the epochs it has left; otherwise those of a stored run that
/// costs the same per epoch (`signature`: data, backbone, precision, batch, augmentation, views
/// per image, evaluation interval, threads; the loss barely matters). Medians, so epochs slowed by a pause or a busy machine
/// barely move the estimate; it is for the machine that made the stored runs.
public struct TrainingTimeEstimate {
    /// One training that will run.
    public struct Entry: Equatable {
        public let step: String
        /// Seconds of training left; nil when nothing comparable is known.
        public let seconds: Double?
        /// Where the epoch times come from.
        public let basis: String
        /// Whether `seconds` leaves out part of the training (stage 2 of a run whose checkpoint gives
        /// stage 1's epoch time, when no stored run gives stage 2's): a lower bound.
        public var isLowerBound = false
    }

    public let entries: [Entry]

    /// The table `bce3s status` prints: a line per training (name, time left, basis) and one for
    /// all of them, the columns as wide as their longest cell ("≥ ≈ 31 h 6 min" is not cut).
    public var lines: [String] {
        let times = entries.map { entry in entry.seconds.map { (entry.isLowerBound ? "≥ " : "") + ResumePoint.duration($0) } ?? "?" }
        let nameWidth = max(6, entries.map(\.step.count).max() ?? 0), timeWidth = max(13, times.map(\.count).max() ?? 0)
        let pad = { (text: String, width: Int) in text.padding(toLength: width, withPad: " ", startingAt: 0) }
        let known = entries.compactMap(\.seconds), unknown = entries.count - known.count
        let total = known.isEmpty ? "?" : (entries.contains(where: \.isLowerBound) ? "≥ " : "") + ResumePoint.duration(known.reduce(0, +))
        return zip(entries, times).map { entry, time in "  \(pad(entry.step, nameWidth))  \(pad(time, timeWidth))  \(entry.basis)" }
            + ["  \(pad("in all", nameWidth))  " + total
               + (unknown > 0 ? (known.isEmpty ? " (no run has an estimate)" : " and \(unknown) without an estimate") : "")]
    }

    /// Median seconds per stage-1 and per stage-2 epoch.
    struct EpochCost: Equatable {
        var stageOne: Double?
        var stageTwo: Double?

        init(_ history: [(stage: Int, seconds: Double)]) {
            stageOne = ResumePoint.median(history.filter { $0.stage == 1 }.map(\.seconds))
            stageTwo = ResumePoint.median(history.filter { $0.stage == 2 }.map(\.seconds))
        }
    }

    /// `pending`: the train steps that will run, with their keys (nil while an input has yet to
    /// run) and parameters. Comparable runs are the store's succeeded train steps.
    public init(pending: [(name: String, key: String?, parameters: Parameters)], store: ExperimentStore?,
                layout: ResultsLayout) throws {
        var checkpoints: [String: ResumePoint] = [:]
        for key in pending.compactMap(\.key) {
            checkpoints[key] = try? ResumePoint.saved(in: TrainStep.trainerDirectory(in: layout.work(key)))
        }
        try self.init(pending: pending, store: store, checkpoints: checkpoints)
    }

    /// The same with the checkpoints of the pending steps given, by key.
    init(pending: [(name: String, key: String?, parameters: Parameters)], store: ExperimentStore?,
         checkpoints: [String: ResumePoint]) throws {
        var stored: [(name: String, key: String, signature: String, cost: EpochCost)] = []
        for entry in try store?.succeededSteps(kinds: ["train"]) ?? [] {
            guard let parameters = try? JSONDecoder().decode(Parameters.self, from: Data(entry.step.paramsJSON.utf8)),
                  let signature = Self.signature(parameters) else { continue }
            var stageOf: [Int: Int] = [:], seconds: [Int: Double] = [:]
            for metric in try store?.metrics(ofStep: entry.step.key) ?? [] {
                guard let epoch = metric.epoch, metric.classIndex == nil else { continue }
                if metric.name == TrainMetricName.stage.rawValue { stageOf[epoch] = Int(metric.value) }
                if metric.name == TrainMetricName.epochSeconds.rawValue { seconds[epoch] = metric.value }
            }
            let history = seconds.keys.sorted().map { (stage: stageOf[$0] ?? 1, seconds: seconds[$0]!) }
            guard !history.isEmpty else { continue }
            stored.append((entry.step.name, entry.step.key, signature, EpochCost(history)))
        }
        entries = pending.map { step in
            guard let job = try? TrainStep.job(step.parameters) else {
                return Entry(step: step.name, seconds: nil, basis: "parameters not understood")
            }
            let signature = Self.signature(step.parameters)
            let comparable = stored.first { $0.key == step.key } ?? stored.first { $0.signature == signature && $0.name == step.name }
                ?? stored.first { $0.signature == signature }
            let checkpoint = step.key.flatMap { checkpoints[$0] }
            var left = (stageOne: job.recipe.epochs, stageTwo: job.recipe.stage2Epochs)
            var own = EpochCost([])
            if let checkpoint {
                left.stageOne -= checkpoint.history.filter { $0.stage == 1 }.count
                left.stageTwo -= checkpoint.history.filter { $0.stage == 2 }.count
                own = EpochCost(checkpoint.history.map { ($0.stage, $0.seconds) })
            }
            let stageOne = own.stageOne ?? comparable?.cost.stageOne
            let stageTwo = own.stageTwo ?? comparable?.cost.stageTwo ?? (left.stageTwo > 0 ? nil : 0)
            if let stageOne, own.stageOne != nil, stageTwo == nil {
                // Stage 1 from its checkpoint; nothing stored tells stage 2's epoch time.
                let epochs = max(left.stageOne, 0)
                return Entry(step: step.name, seconds: Double(epochs) * stageOne,
                             basis: "\(Self.counted(epochs, "stage-1 epoch")) at its checkpoint's median (\(String(format: "%.1f", stageOne)) s per epoch); "
                                + "its \(Self.counted(left.stageTwo, "stage-2 epoch")) not estimated (no comparable run stored)", isLowerBound: true)
            }
            guard let stageOne, let stageTwo else {
                return Entry(step: step.name, seconds: nil, basis: "no comparable run stored")
            }
            let perEpoch = String(format: "%.1f s per epoch", stageOne)
                + (job.recipe.stage2Epochs > 0 ? String(format: ", stage 2 %.1f s", stageTwo) : "")
            let epochs = max(left.stageOne, 0) + max(left.stageTwo, 0)
            let seconds = Double(max(left.stageOne, 0)) * stageOne + Double(max(left.stageTwo, 0)) * stageTwo
            if own.stageOne != nil {
                let borrowed = own.stageTwo == nil && left.stageTwo > 0 ? comparable.map { " as \($0.name)" } ?? "" : ""
                return Entry(step: step.name, seconds: seconds, basis: "\(Self.counted(epochs, "epoch")) at its checkpoint's median (\(perEpoch)\(borrowed))")
            }
            guard let comparable else { return Entry(step: step.name, seconds: nil, basis: "no comparable run stored") }
            return Entry(step: step.name, seconds: seconds,
                         basis: "\(Self.counted(epochs, "epoch")) at the median of \(comparable.name) [\(comparable.key.prefix(12))] (\(perEpoch))")
        }
    }

    /// "1 epoch", "73 epochs".
    static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// What decides an epoch's cost, from a train step's parameters: the data (dataset, imbalance,
    /// subset), the backbone and its precision, the batch size, the augmentation, the views per
    /// image (a mixing method trains on three), the evaluation interval and the threads; nil when
    /// the parameters are not a train step's.
    static func signature(_ parameters: Parameters) -> String? {
        func text(_ value: ParameterValue?) -> String { value.flatMap { try? $0.canonicalJSON } ?? "-" }
        guard parameters["dataset"] != nil, let job = try? TrainStep.job(parameters),
              let threads = try? TrainStep.threads(parameters) else { return nil }
        let recipe = job.recipe
        return (["dataset", "imbalance", "policy"].map { text(parameters[$0]) }
                + [recipe.model.rawValue, recipe.convolutionPrecision.rawValue, "batch \(recipe.batchSize)", recipe.augmentation.rawValue,
                   job.method.mixing ? "mixing" : "one view", "eval every \(recipe.evalEvery)", "threads \(threads)"])
            .joined(separator: " ")
    }
}
