import Foundation
import NN

/// How far an unfinished training got: what its work directory's checkpoint (`RunState`) records.
/// A rerun of the same job resumes after `epochsDone`.
public struct ResumePoint: Equatable, Sendable {
    /// Epochs finished, stage 1 and stage 2 together.
    public let epochsDone: Int
    /// Epochs of the whole job (stage 1 + stage 2), from the job the checkpoint belongs to; nil if unreadable.
    public let totalEpochs: Int?
    /// One record per finished epoch, in order.
    public let history: [EpochRecord]
    /// Stage-1 epochs of the job; nil if unreadable.
    public var stageOneEpochs: Int? = nil

    /// The progress saved in `workDirectory` (the directory given to `Trainer.run`); nil without a
    /// checkpoint. Throws when the checkpoint cannot be read or its run metadata is malformed.
    public static func saved(in workDirectory: URL) throws -> ResumePoint? {
        let url = RunState.url(in: workDirectory)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let file = try SafeTensors(contentsOf: url)
        let state = try RunState(metadataOf: file, at: url)
        let epochs = file.metadata["job"].flatMap(Self.epochs(jobJSON:))
        return ResumePoint(epochsDone: state.epochsDone, totalEpochs: epochs.map { $0.stageOne + $0.stageTwo },
                           history: state.history, stageOneEpochs: epochs?.stageOne)
    }

    /// Stage-1 plus stage-2 epochs of a job in its canonical JSON (`TrainingJob.canonicalJSON`).
    static func totalEpochs(jobJSON: String) -> Int? { epochs(jobJSON: jobJSON).map { $0.stageOne + $0.stageTwo } }

    private static func epochs(jobJSON: String) -> (stageOne: Int, stageTwo: Int)? {
        guard let job = try? JSONSerialization.jsonObject(with: Data(jobJSON.utf8)) as? [String: Any],
              let recipe = job["recipe"] as? [String: Any], let epochs = (recipe["epochs"] as? NSNumber)?.intValue else { return nil }
        return (epochs, (recipe["stage2_epochs"] as? NSNumber)?.intValue ?? 0)
    }

    /// "≈ 18 h 40 min of stage 1 left at its median epoch (405 s)": the stage-1 epochs still to
    /// run times the median of those run so far (a median, so epochs slowed by a pause or a busy
    /// machine barely move it); nil when stage 1 is done or its length unknown.
    public var stageOneEstimate: String? {
        let seconds = history.filter { $0.stage == 1 }.map(\.seconds)
        guard let total = stageOneEpochs, let median = Self.median(seconds), seconds.count < total else { return nil }
        return "\(Self.duration(Double(total - seconds.count) * median)) of stage 1 left at its median epoch ("
            + String(format: "%.0f s)", median)
    }

    /// The median of `values`; nil for none.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted(), middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// "≈ 2 h 31 min", "≈ 12 min", "< 1 min".
    public static func duration(_ seconds: Double) -> String {
        let minutes = Int((seconds / 60).rounded())
        return minutes < 1 ? "< 1 min" : minutes < 60 ? "≈ \(minutes) min" : "≈ \(minutes / 60) h \(minutes % 60) min"
    }

    /// "3 of 210 epochs done (stage 1 epoch 3: loss 9.5818, 407 s); last test top-1 41.23 % after stage 1 epoch 30;
    /// ≈ 22 h 10 min of stage 1 left at its median epoch (405 s)".
    public var summary: String {
        let done = "\(epochsDone)" + (totalEpochs.map { " of \($0)" } ?? "") + " epochs done"
        guard let last = history.last else { return done }
        var text = done + String(format: " (stage %d epoch %d: loss %.4f, %.0f s)", last.stage, last.epoch + 1, last.loss, last.seconds)
        if let evaluated = history.last(where: { $0.testTop1 != nil }), let top1 = evaluated.testTop1 {
            text += String(format: "; last test top-1 %.2f %% after stage %d epoch %d", 100 * top1, evaluated.stage, evaluated.epoch + 1)
        }
        return text + (stageOneEstimate.map { "; \($0)" } ?? "")
    }

    /// One line per finished epoch, in order: "stage 1 epoch 15: loss 9.2345, lr 0.00994, 454 s,
    /// test top-1 41.68 %" (the accuracy only after evaluated epochs): the learning curve so far.
    public var historyLines: [String] {
        history.map { record in
            String(format: "stage %d epoch %d: loss %.4f, lr %.3g, %.0f s", record.stage, record.epoch + 1, record.loss,
                   record.learningRate, record.seconds)
                + (record.testTop1.map { String(format: ", test top-1 %.2f %%", 100 * $0) } ?? "")
        }
    }
}
