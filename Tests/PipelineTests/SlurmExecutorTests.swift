import Foundation
import XCTest
@testable import Pipeline

/// Answers Slurm client calls from a script the test changes as it goes, and records every call.
final class ScriptedSlurm: SlurmCommandRunner, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [String: SlurmCommandOutput] = [:]
    private var log: [[String]] = []

    /// The answer to every later call of `tool`.
    func answer(_ tool: String, _ output: SlurmCommandOutput) { lock.lock(); answers[tool] = output; lock.unlock() }

    var calls: [[String]] { lock.lock(); defer { lock.unlock() }; return log }
    func calls(of tool: String) -> [[String]] { calls.filter { $0.first == tool } }

    func run(_ tool: String, _ arguments: [String]) -> SlurmCommandOutput {
        lock.lock()
        defer { lock.unlock() }
        log.append([tool] + arguments)
        return answers[tool] ?? SlurmCommandOutput(status: 1, stdout: "", stderr: "\(tool): not scripted")
    }
}

/// Collects the exits the executor reports.
final class Exits: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [WorkerExit] = []
    func add(_ exit: WorkerExit) { lock.lock(); items.append(exit); lock.unlock() }
    var all: [WorkerExit] { lock.lock(); defer { lock.unlock() }; return items }
}

/// The Slurm executor against scripted `sbatch`/`squeue`/`scontrol`/`sacct` answers: the arguments it
/// submits with, how it reads job states (result file first, transient empty answers tolerated,
/// accounting disabled), adoption and cancellation. The real cluster is in `SlurmRunTests`.
final class SlurmExecutorTests: XCTestCase {
    var directory: URL!
    let slurm = ScriptedSlurm()

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("slurm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func step(_ name: String = "train-ce", kind: String = "train", threads: Int = 4, key: String = "k1") -> StepLaunch {
        let staging = directory.appendingPathComponent("results/staging/\(key)")
        return StepLaunch(jobFile: staging.appendingPathComponent("job.json"), resultFile: staging.appendingPathComponent("result.json"),
                          log: directory.appendingPathComponent("results/logs/\(key).log"), pipeline: "cifar10 lt",
                          step: name, kind: kind, key: key, resources: .heavy, threads: threads,
                          resultsDirectory: directory.appendingPathComponent("results"))
    }

    /// The executor's own thread would only ask Slurm every 1000 s: the tests poll by hand.
    func executor(_ settings: SlurmSettings = SlurmSettings()) -> SlurmExecutor {
        SlurmExecutor(.init(executable: URL(fileURLWithPath: "/opt/it's/bce3s"), settings: settings, pollInterval: 1000,
                            resultGrace: 0.3, unknownPolls: 3),
                      cluster: SlurmCluster(runner: slurm))
    }

    func squeue(_ lines: String...) -> SlurmCommandOutput { SlurmCommandOutput(status: 0, stdout: lines.map { $0 + "\n" }.joined()) }


    /// A step submitted as job 7, with `squeue` (and `scontrol` when given) answering as given.
    func launchJob7(squeue: SlurmCommandOutput, scontrol: String? = nil) throws -> (SlurmExecutor, Exits) {
        slurm.answer("sbatch", SlurmCommandOutput(status: 0, stdout: "7\n"))
        slurm.answer("squeue", squeue)
        if let scontrol { slurm.answer("scontrol", SlurmCommandOutput(status: 0, stdout: scontrol)) }
        let exits = Exits()
        let slurmExecutor = executor()
        _ = try slurmExecutor.launch(step(), finished: exits.add)
        return (slurmExecutor, exits)
    }

    func testSubmitsTheWorkerWithANamedJobItsLogAndTheStepsThreadsAsCPUs() throws {
        slurm.answer("sbatch", SlurmCommandOutput(status: 0, stdout: "4242;cluster\n"))
        let settings = SlurmSettings(fileDefault: SlurmOptions(partition: "file", time: "1:00:00", account: "lab"),
                                     byKind: ["train": SlurmOptions(time: "12:00:00", memory: "8G", extraArguments: ["--constraint=a"])],
                                     commandLine: SlurmOptions(partition: "cli", extraArguments: ["--exclusive"]))
        let id = try executor(settings).launch(step(), finished: { _ in })
        XCTAssertEqual(id, "4242")
        let call = try XCTUnwrap(slurm.calls(of: "sbatch").first)
        let results = directory.appendingPathComponent("results").path
        XCTAssertEqual(call, ["sbatch", "--parsable", "--job-name=cifar10_lt/train-ce", "--comment=bce3s k1 \(results)",
                              "--output=\(results)/logs/k1.log", "--nodes=1", "--ntasks=1", "--cpus-per-task=4",
                              "--partition=cli", "--time=12:00:00", "--mem=8G", "--account=lab", "--constraint=a", "--exclusive",
                              "--wrap=exec '/opt/it'\\''s/bce3s' step --job '\(results)/staging/k1/job.json'"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(results)/logs"), "slurmstepd does not create the log's directory")
    }

    func testAFailedSubmissionSaysWhatSbatchSaid() {
        slurm.answer("sbatch", SlurmCommandOutput(status: 1, stdout: "", stderr: "sbatch: error: invalid partition specified: gpu\n"))
        XCTAssertThrowsError(try executor().launch(step(), finished: { _ in })) { error in
            XCTAssertEqual("\(error)", "sbatch failed (exit status 1): sbatch: error: invalid partition specified: gpu")
        }
    }

    func testTheResultFileEndsTheJobBeforeSlurmSaysSo() throws {
        let (slurmExecutor, exits) = try launchJob7(squeue: squeue("7|RUNNING|cifar10_lt/train-ce|bce3s k1 x"))
        let launched = step()
        slurmExecutor.poll(askingSlurm: true)
        XCTAssertEqual(exits.all, [], "a running job without a result file is still in flight")
        try FileManager.default.createDirectory(at: launched.resultFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: launched.resultFile)
        let queries = slurm.calls(of: "squeue").count
        slurmExecutor.poll(askingSlurm: true)
        XCTAssertEqual(exits.all, [WorkerExit(status: 0)])
        XCTAssertEqual(slurm.calls(of: "squeue").count, queries, "the result file alone says the job ended")
    }

    func testTimeoutIsReportedWithTheStateAndJobID() throws {
        let (slurmExecutor, exits) = try launchJob7(
            squeue: squeue("7|TIMEOUT|cifar10_lt/train-ce|bce3s k1 x"),
            scontrol: "JobId=7 JobName=cifar10_lt/train-ce JobState=TIMEOUT Reason=TimeLimit Dependency=(null) ExitCode=0:15 Comment=bce3s k1 x\n")
        slurmExecutor.poll(askingSlurm: true)
        XCTAssertEqual(exits.all, [], "one more poll for a result file written just before the end")
        slurmExecutor.poll(askingSlurm: true)
        let cause = try XCTUnwrap(exits.all.first?.cause)
        XCTAssertTrue(cause.hasPrefix("Slurm job 7 ended TIMEOUT (reason TimeLimit, exit code 0:15); raise the time limit"), cause)
        XCTAssertNotEqual(exits.all.first?.status, 0)
        XCTAssertEqual(exits.all.first?.externalStop, ExternalStop("Slurm job 7 ended TIMEOUT", isTimeLimit: true),
                       "the coordinator may resubmit it")
    }

    func testOnlyStopsFromOutsideMayBeResumedByANewJob() {
        XCTAssertEqual(SlurmExecutor.externalStop(id: "8", state: "PREEMPTED"), ExternalStop("Slurm job 8 ended PREEMPTED", isTimeLimit: false))
        XCTAssertEqual(SlurmExecutor.externalStop(id: "8", state: "NODE_FAIL")?.isTimeLimit, false)
        for state in ["CANCELLED", "OUT_OF_MEMORY", "FAILED", "COMPLETED"] {
            XCTAssertNil(SlurmExecutor.externalStop(id: "8", state: state), "\(state): a person, the step or its memory ended it")
        }
    }

    func testAResubmittedJobAppendsToTheLogOfTheJobItResumes() throws {
        slurm.answer("sbatch", SlurmCommandOutput(status: 0, stdout: "8\n"))
        var resubmitted = step()
        resubmitted.appendsToLog = true
        _ = try executor().launch(resubmitted, finished: { _ in })
        let call = try XCTUnwrap(slurm.calls(of: "sbatch").first)
        XCTAssertEqual(call.filter { $0.hasPrefix("--o") }, ["--output=\(resubmitted.log.path)", "--open-mode=append"])
    }

    func testTransientEmptyAnswersAreToleratedAndAccountingIsNotRequired() throws {
        slurm.answer("scontrol", SlurmCommandOutput(status: 1, stdout: "", stderr: "slurm_load_jobs error: Invalid job id specified"))
        slurm.answer("sacct", SlurmCommandOutput(status: 1, stdout: "", stderr: "Slurm accounting storage is disabled"))
        let (slurmExecutor, exits) = try launchJob7(
            squeue: SlurmCommandOutput(status: 1, stdout: "", stderr: "slurm_load_jobs error: Socket timed out"))
        for _ in 0..<5 { slurmExecutor.poll(askingSlurm: true) }
        XCTAssertEqual(exits.all, [], "a failing squeue is asked again, not taken as the job's end")
        slurm.answer("squeue", squeue())
        for _ in 0..<2 { slurmExecutor.poll(askingSlurm: true) }
        XCTAssertEqual(exits.all, [], "two empty answers are not enough to give a job up")
        slurm.answer("squeue", squeue("7|RUNNING|cifar10_lt/train-ce|bce3s k1 x"))
        slurmExecutor.poll(askingSlurm: true)
        slurm.answer("squeue", squeue())
        for _ in 0..<2 { slurmExecutor.poll(askingSlurm: true) }
        XCTAssertEqual(exits.all, [], "a job seen again starts the count anew")
        slurmExecutor.poll(askingSlurm: true)
        let cause = try XCTUnwrap(exits.all.first?.cause)
        XCTAssertTrue(cause.hasPrefix("Slurm job 7 is no longer known to squeue or scontrol (nor sacct) and left no result file"), cause)
        XCTAssertFalse(slurm.calls(of: "sacct").isEmpty, "sacct is asked where it may answer")
    }

    /// squeue failing after the submission: scontrol still says how the job ended (the run used to
    /// wait for squeue forever).
    func testAJobThatEndsWhileSqueueFailsIsReportedFromScontrol() throws {
        let (slurmExecutor, exits) = try launchJob7(
            squeue: SlurmCommandOutput(status: 1, stdout: "", stderr: "slurm_load_jobs error: Socket timed out"),
            scontrol: "JobId=7 JobName=x JobState=FAILED Reason=NonZeroExitCode ExitCode=1:0\n")
        for _ in 0..<3 { slurmExecutor.poll(askingSlurm: true) }
        let cause = try XCTUnwrap(exits.all.first?.cause)
        XCTAssertTrue(cause.hasPrefix("Slurm job 7 ended FAILED"), cause)
    }

    func testACompletedJobWhoseResultFileNeverShowsSaysTheResultsDirectoryIsNotShared() throws {
        let (slurmExecutor, exits) = try launchJob7(squeue: squeue("7|COMPLETED|cifar10_lt/train-ce|bce3s k1 x"),
                                                    scontrol: "JobId=7 JobState=COMPLETED Reason=None ExitCode=0:0\n")
        let started = Date()
        slurmExecutor.poll(askingSlurm: true)
        slurmExecutor.poll(askingSlurm: true)
        XCTAssertTrue(exits.all.isEmpty || Date().timeIntervalSince(started) >= 0.3, "waits resultGrace (0.3 s) for the file")
        Thread.sleep(forTimeInterval: 0.35)
        slurmExecutor.poll(askingSlurm: true)
        let cause = try XCTUnwrap(exits.all.first?.cause)
        XCTAssertTrue(cause.contains("Slurm job 7 ended COMPLETED but its result file"), cause)
        XCTAssertTrue(cause.contains("must be on a filesystem that this machine and the compute nodes share"), cause)
    }

    func testAdoptsOnlyARunningJobOfTheSameStepKeyAndResultsDirectory() throws {
        let launched = step()
        let comment = SlurmExecutor.jobComment(launched)
        slurm.answer("squeue", squeue("30|RUNNING|cifar10_lt/train-ce|bce3s k0 \(launched.resultsDirectory.path)",
                                      "31|RUNNING|cifar10_lt/train-ce|bce3s k1 /elsewhere/results",
                                      "32|TIMEOUT|cifar10_lt/train-ce|\(comment)",
                                      "33|PENDING|cifar10_lt/train-ce|\(comment)",
                                      "34|RUNNING|cifar10_lt/train-bce3s|\(comment)"))
        let slurmExecutor = executor()
        XCTAssertEqual(try slurmExecutor.adopt(launched, finished: { _ in }), "33")
        XCTAssertNil(try slurmExecutor.adopt(step(key: "k2"), finished: { _ in }))
        XCTAssertEqual(slurm.calls(of: "squeue").count, 1, "the queue of earlier runs is read once")
        XCTAssertEqual(slurmExecutor.cancelAll(), ["33"])
        XCTAssertEqual(slurm.calls(of: "scancel"), [["scancel", "33"]])
    }

    /// A restart that names the results folder through a symbolic link adopts the job submitted
    /// under the folder's real path (and the other way round), instead of submitting a second one.
    func testAdoptsItsJobWhenTheResultsFolderIsNamedThroughALink() throws {
        let link = directory.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: directory)
        var throughLink = step()
        throughLink.resultsDirectory = link.appendingPathComponent("results")
        XCTAssertEqual(SlurmExecutor.jobComment(throughLink), SlurmExecutor.jobComment(step()))
        slurm.answer("squeue", squeue("40|RUNNING|cifar10_lt/train-ce|bce3s k1 \(directory.appendingPathComponent("results").path)"))
        XCTAssertEqual(try executor().adopt(throughLink, finished: { _ in }), "40")
    }

    func testAnEndedJobWithItsResultFileIsAdoptedAndEndsAtOnce() throws {
        let launched = step()
        try FileManager.default.createDirectory(at: launched.resultFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: launched.resultFile)
        slurm.answer("squeue", squeue("32|COMPLETED|cifar10_lt/train-ce|\(SlurmExecutor.jobComment(launched))"))
        let exits = Exits()
        let slurmExecutor = executor()
        XCTAssertEqual(try slurmExecutor.adopt(launched, finished: exits.add), "32")
        slurmExecutor.poll(askingSlurm: false)
        XCTAssertEqual(exits.all, [WorkerExit(status: 0)])
    }

    func testCancelAllCancelsEveryJobInFlightInOneCall() throws {
        slurm.answer("sbatch", SlurmCommandOutput(status: 0, stdout: "9\n"))
        slurm.answer("squeue", squeue("9|RUNNING|a|b", "10|PENDING|a|b"))
        let slurmExecutor = executor()
        _ = try slurmExecutor.launch(step(), finished: { _ in })
        slurm.answer("sbatch", SlurmCommandOutput(status: 0, stdout: "10\n"))
        _ = try slurmExecutor.launch(step("b", key: "k2"), finished: { _ in })
        XCTAssertEqual(slurmExecutor.cancelAll(), ["9", "10"])
        XCTAssertEqual(slurm.calls(of: "scancel"), [["scancel", "9", "10"]])
    }
}

/// The `slurm:` section of a pipeline file.
final class SlurmSettingsLoaderTests: XCTestCase {
    func parse(_ text: String) throws -> SlurmSettings {
        try SlurmSettingsLoader.parse(text, file: "p.yaml", kinds: ["train", "dataset"])
    }

    func testDefaultAndPerKindOptions() throws {
        let settings = try parse("""
            slurm:
              default: {partition: cpu, time: 1:00:00, account: lab, qos: normal}
              train: {time: "2-00:00:00", mem: 8G, cpus: 4, sbatch_args: ["--constraint=avx512"]}
            steps: []
            """)
        XCTAssertEqual(settings.fileDefault, SlurmOptions(partition: "cpu", time: "1:00:00", account: "lab", qos: "normal"))
        XCTAssertEqual(settings.options(forKind: "train"),
                       SlurmOptions(partition: "cpu", time: "2-00:00:00", cpus: 4, memory: "8G", account: "lab", qos: "normal",
                                    extraArguments: ["--constraint=avx512"]))
        XCTAssertEqual(settings.options(forKind: "dataset").time, "1:00:00")
        XCTAssertEqual(try parse("steps: []"), SlurmSettings())
    }

    func testMistakesNameTheLineAndWhatWasExpected() {
        let cases = [
            ("slurm:\n  trian: {time: 5}\n", "p.yaml:2:3: error: slurm: 'trian' is neither 'default' nor a step kind of this pipeline (kinds: dataset, train)"),
            ("slurm:\n  train: {time: soon}\n", "p.yaml:2:17: error: slurm: 'train.time': expected a Slurm time limit (minutes, h:mm:ss or days-hh:mm:ss), found 'soon'"),
            ("slurm:\n  train: {cpus: 0}\n", "p.yaml:2:17: error: slurm: 'train.cpus' must be an integer >= 1"),
            ("slurm:\n  train: {mem: lots}\n", "p.yaml:2:16: error: slurm: 'train.mem': expected a memory size such as 4000 (MB), 4G or 512M, found 'lots'"),
            ("slurm:\n  default: {gpus: 1}\n", "p.yaml:2:13: error: slurm: unknown option 'gpus' in 'default' (allowed: partition, time, cpus, mem, account, qos, sbatch_args)"),
            ("slurm: [train]\n", "p.yaml:1:8: error: slurm: expected a mapping of step kind (or 'default') to options"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try parse(text), text) { XCTAssertEqual("\($0)", expected) }
        }
    }
}
