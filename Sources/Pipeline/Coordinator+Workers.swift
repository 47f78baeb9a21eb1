import Foundation
import Store

/// Starting workers and ingesting what they leave behind.
extension Coordinator {
    /// "── 2026-12-01T22:20:00Z: run 7 starts train-ce again (forced) ──" at the end of an existing log.
    static func appendRestartLine(to log: URL, runID: Int64, step: String, reason: String) {
        guard let handle = try? FileHandle(forWritingTo: log) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        let stamp = ISO8601DateFormatter().string(from: Date())
        try? handle.write(contentsOf: Data("── \(stamp): run \(runID) starts \(step) again (\(reason)) ──\n".utf8))
    }

    /// Hands the step to the executor: to a job an earlier coordinator left running if the executor
    /// finds one, else as a new job whose file is written into a fresh staging directory. Records the
    /// job in the store at once, so `bce3s status` shows it. A job appends to the step's log when
    /// there is one (a resubmitted or resumed job, a forced rerun of a stored step), after a line
    /// saying which run started it and why, so no attempt's lines are lost.
    func launch(_ index: Int, key: String, reason: String, resubmission: Bool = false) throws {
        let step = graph.steps[index]
        let staging = layout.staging(key)
        let log = layout.log(key)
        let continuesLog = resubmission || FileManager.default.fileExists(atPath: log.path)
        let launch = StepLaunch(jobFile: staging.appendingPathComponent("job.json"),
                                resultFile: staging.appendingPathComponent("result.json"), log: log,
                                pipeline: graph.name, step: step.name, kind: step.kind, key: key,
                                resources: step.resources, threads: step.threads, resultsDirectory: layout.root,
                                appendsToLog: continuesLog)
        workAtLaunch[index] = WorkDirectorySnapshot(of: layout.work(key))
        launchedAt[index] = Date()
        let mailbox = self.mailbox
        let post: @Sendable (WorkerExit) -> Void = { exit in mailbox.post(index, exit) }
        var adopted = false
        var job: String?
        do {
            job = try executor.adopt(launch, finished: post)
            adopted = job != nil
            if !adopted { try writeJobFile(index, key: key, to: launch.jobFile) }
            let reason = adopted ? "\(reason); adopted \(executor.name) job \(job!) of an earlier run" : reason
            states[index] = .running(key: key, reason: reason, inputs: step.inputs)
            onEvent(.started(name: step.name, key: key, reason: reason))
            if !adopted {
                if continuesLog { Self.appendRestartLine(to: log, runID: runID, step: step.name, reason: reason) }
                job = try executor.launch(launch, finished: post)
            }
        } catch {
            states[index] = .running(key: key, reason: reason, inputs: step.inputs)
            mailbox.post(index, WorkerExit(status: -1, cause: "\(executor.name) executor could not start the step: \(error)"))
            return
        }
        jobs[index] = job
        onEvent(.submitted(name: step.name, executor: executor.name, job: job!, adopted: adopted))
        guard case .running(_, let recorded, _) = states[index] else { return }
        try store.record(RunStepRecord(runID: runID, name: step.name, stepKey: key, outcome: .running, reason: recorded,
                                       executor: executor.name, jobID: job))
    }

    /// Writes the job file of step `index` into a fresh staging directory.
    private func writeJobFile(_ index: Int, key: String, to jobFile: URL) throws {
        let step = graph.steps[index]
        let files = FileManager.default
        let staging = layout.staging(key)
        try? files.removeItem(at: staging)
        try files.createDirectory(at: staging, withIntermediateDirectories: true)
        let inputs = try step.inputs.map { input in
            (input.name, try input.steps.map { upstream -> StepInput in
                guard case .done(let upstreamKey, _) = states[upstream] else { preconditionFailure("input not settled") }
                return try stepInput(key: upstreamKey, name: graph.steps[upstream].name)
            })
        }
        let context = StepContext(key: key, name: step.name, parameters: step.parameters,
                                  inputs: Dictionary(uniqueKeysWithValues: inputs),
                                  outputDirectory: staging.appendingPathComponent("outputs"),
                                  workDirectory: layout.work(key), dataDirectory: options.dataDirectory,
                                  resultsDirectory: layout.root)
        let job = WorkerJob(kind: step.kind, context: context, resultFile: staging.appendingPathComponent("result.json"))
        try JobFiles.write(job, to: jobFile)
    }

    private func stepInput(key: String, name: String) throws -> StepInput {
        let artifacts = try store.artifacts(ofStep: key)
        let metrics = try store.metrics(ofStep: key)
        return StepInput(key: key, name: name,
                         artifacts: Dictionary(uniqueKeysWithValues: artifacts.map { ($0.name, layout.file($0.path)) }),
                         metrics: metrics.map { Metric($0.name, $0.value, epoch: $0.epoch, classIndex: $0.classIndex, split: $0.split) })
    }

    /// Ingests a finished worker: on success its outputs move to `artifacts/<key>/` first, then one
    /// transaction records step, inputs, artifacts, metrics and the run step. A crash between the
    /// two leaves an unrecorded directory that the next run replaces.
    func settle(_ index: Int, exit: WorkerExit) throws {
        guard case .running(let key, let reason, let inputs) = states[index] else { return }
        let step = graph.steps[index]
        let staging = layout.staging(key)
        let resultFile = staging.appendingPathComponent("result.json")
        let result = try? JobFiles.read(WorkerResult.self, from: resultFile)
        let failure = result?.error
            ?? (exit.status == 0 && result != nil ? nil : (exit.cause ?? "worker exited with status \(exit.status)") + logTail(key))
        let job = jobs.removeValue(forKey: index)
        let now = Date()
        let launched = launchedAt.removeValue(forKey: index)
        let started = result?.startedAt ?? launched ?? now
        let finished = result?.finishedAt ?? now
        let seconds = finished.timeIntervalSince(started)
        let metrics = failure == nil ? result!.result.metrics : []
        let timings = failure == nil ? result!.result.timings : []
        let artifacts = failure == nil ? result!.artifacts : []
        let digest = failure == nil
            ? CacheKey.outputDigest(artifacts: artifacts.map { ($0.name, $0.sha256) }, metrics: metrics) : nil
        if failure == nil {
            let destination = layout.artifacts(key)
            try? FileManager.default.removeItem(at: destination)
            try FileManager.default.createDirectory(at: layout.artifactsRoot, withIntermediateDirectories: true)
            try FileManager.default.moveItem(at: staging.appendingPathComponent("outputs"), to: destination)
        }
        let publish = result?.result.publish ?? [:]
        let record = StepIngest(
            step: StepRecord(key: key, kind: step.kind, name: step.name, paramsJSON: try step.parameters.canonicalJSON,
                             version: step.version, status: failure == nil ? .succeeded : .failed, outputDigest: digest,
                             startedAt: started, finishedAt: finished, seconds: seconds, error: failure,
                             machine: result?.machine),
            inputs: inputs.flatMap { input in
                input.steps.enumerated().map { position, upstream -> StepInputRecord in
                    guard case .done(let upstreamKey, let upstreamDigest) = states[upstream] else { preconditionFailure() }
                    return StepInputRecord(stepKey: key, inputName: input.name, position: position, inputKey: upstreamKey,
                                           inputStep: graph.steps[upstream].name, digest: upstreamDigest)
                }
            },
            artifacts: artifacts.map {
                ArtifactRecord(stepKey: key, name: $0.name, path: "artifacts/\(key)/\($0.name)", sha256: $0.sha256,
                               bytes: $0.bytes, publishedPath: publish[$0.name])
            },
            metrics: (metrics + timings).map { $0.record(stepKey: key) })
        let outcome: RunStepRecord.Outcome = failure == nil ? .ran : .failed
        try store.ingest(record, runStep: RunStepRecord(runID: runID, name: step.name, stepKey: key, outcome: outcome,
                                                        reason: failure.map { "\(reason); error: \($0)" } ?? reason,
                                                        executor: executor.name, jobID: job))
        try? FileManager.default.removeItem(at: staging)
        if let digest {
            try? FileManager.default.removeItem(at: layout.work(key))
            try publishArtifacts(record.artifacts, step: step.name, key: key)
            states[index] = .done(key: key, digest: digest)
        }
        finish(index, outcome, key: key, reason: failure ?? reason, seconds: seconds, ingested: true)
    }

    /// The last lines of a step's log, to put the cause of a crash into the error message.
    private func logTail(_ key: String) -> String {
        let lines = LogTail.lastLines(of: layout.log(key), count: 5)
        return lines.isEmpty ? "" : " (log \(layout.log(key).path):\n" + lines.joined(separator: "\n") + ")"
    }

    /// Refreshes the people-facing copies of artifacts of steps this run reused. A published path
    /// names its step below a root folder (`tables/<step>/…`); a result computed under another
    /// step name is published under the current one, so a renamed step never republishes under
    /// its old name.
    func publishReusedArtifacts() throws {
        for report in reports where report.outcome == .reused {
            guard let key = report.key, let stored = try store.step(key: key) else { continue }
            try publishArtifacts(try store.publishedArtifacts(ofSteps: [key]).map { artifact in
                var artifact = artifact
                artifact.publishedPath = artifact.publishedPath.map { Self.renaming(stored.name, to: report.name, in: $0) }
                return artifact
            }, step: report.name, key: key)
        }
    }

    /// `path` with its first component below the root that is `old` (the step's folder) named
    /// `new`: `figures/figures/a.png` → `figures/figs/a.png`, never `figs/figs/a.png`.
    static func renaming(_ old: String, to new: String, in path: String) -> String {
        var components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if let index = components.indices.dropFirst().first(where: { components[$0] == old }) { components[index] = new }
        return components.joined(separator: "/")
    }

    /// Copies each artifact with a `publishedPath` there (temp file + rename: never half-written),
    /// then removes, from the folders it published into, the copies another version of the step
    /// (`step`, any other key: another pipeline's step of the same name, an earlier version) left
    /// and this one does not replace, so a folder such as `figures/figures/` shows one step's
    /// output, never a mix.
    func publishArtifacts(_ artifacts: [ArtifactRecord], step: String, key: String) throws {
        let files = FileManager.default
        defer {
            let current = Set(artifacts.compactMap(\.publishedPath))
            let folders = Set(current.map { ($0 as NSString).deletingLastPathComponent })
            let stale = (try? store.publishedPaths(ofStepsNamed: step, except: key)) ?? []
            for path in stale.subtracting(current)
            where PublishPath.isInside(path) && folders.contains((path as NSString).deletingLastPathComponent) {
                try? files.removeItem(at: layout.file(path))
            }
        }
        for artifact in artifacts {
            guard let published = artifact.publishedPath else { continue }
            guard PublishPath.isInside(published) else {
                throw StepInputError("refusing to publish '\(published)': not a relative path inside the results folder")
            }
            let destination = layout.file(published)
            try files.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            let temporary = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).tmp")
            try? files.removeItem(at: temporary)
            try files.copyItem(at: layout.file(artifact.path), to: temporary)
            guard rename(temporary.path, destination.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination.path])
            }
        }
    }
}
