import Foundation

/// A step whose job was stopped from outside (a time limit, a preemption, a failed node) gets a new
/// job that resumes its checkpoint, so a training longer than the cluster's time limit finishes
/// in one `bce3s run`.
extension Coordinator {
    /// A step's resubmissions in this run.
    struct Resubmissions {
        var count = 0
        /// Why the step ran in the first place (the reason of its first launch).
        var reason: String
    }

    /// Submits step `index` again when `exit` says its worker was stopped from outside and this run
    /// may still resubmit it: a time-limited job only if the step's work directory (its checkpoint)
    /// changed during the job, since otherwise the next job would stop at the same point; a
    /// preempted job or one on a failed node in any case; at most `RunOptions.resubmissions` times.
    /// Returns nil when it resubmitted, else the exit for `settle`, its cause saying why it did not.
    func resubmittingIfStoppedFromOutside(_ index: Int, exit: WorkerExit) throws -> WorkerExit? {
        guard let stop = exit.externalStop, options.resubmissions > 0,
              case .running(let key, let reason, _) = states[index],
              !FileManager.default.fileExists(atPath: layout.staging(key).appendingPathComponent("result.json").path)
        else { return exit }
        var record = resubmissions[index] ?? Resubmissions(reason: reason)
        let advanced = WorkDirectorySnapshot(of: layout.work(key)) != workAtLaunch[index]
        var refused: String?
        if record.count >= options.resubmissions {
            refused = "resubmitted \(record.count) time\(record.count == 1 ? "" : "s") already, the most this run allows"
        } else if stop.isTimeLimit && !advanced {
            refused = "its checkpoint did not advance during the job, so a new job would stop at the same point"
        }
        if let refused {
            var annotated = exit
            annotated.cause = (exit.cause ?? stop.description) + " (not resubmitted: \(refused))"
            return annotated
        }
        record.count += 1
        resubmissions[index] = record
        jobs.removeValue(forKey: index)
        try launch(index, key: key, reason: "\(record.reason); resubmitted after \(stop.description) "
                   + "(\(record.count) of at most \(options.resubmissions))", resubmission: true)
        return nil
    }
}

/// The files of a step's work directory with their sizes and modification times, but for the
/// worker's lock file: two snapshots differ when the step wrote a checkpoint in between.
struct WorkDirectorySnapshot: Equatable {
    private var files: [String: [Double]] = [:]

    init(of directory: URL) {
        let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey]
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: keys) else { return }
        for case let url as URL in enumerator {
            guard url.lastPathComponent != StepWorker.lockFileName, let values = try? url.resourceValues(forKeys: Set(keys)),
                  values.isRegularFile == true else { continue }
            files[url.path] = [Double(values.fileSize ?? 0), values.contentModificationDate?.timeIntervalSince1970 ?? 0]
        }
    }
}
