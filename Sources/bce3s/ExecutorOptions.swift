import ArgumentParser
import Foundation
import Pipeline

/// `--executor` and the Slurm options of `bce3s run`. Slurm options given here win over the
/// pipeline file's `slurm:` section (see `SlurmSettingsLoader`).
struct ExecutorOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable { case local, slurm }

    @Option(help: "Where steps run: local (worker processes here) or slurm (one sbatch job per step).")
    var executor: Kind = .local
    @Option(help: "Slurm partition (default: the cluster's default partition).") var partition: String?
    @Option(help: "Slurm time limit of every job, e.g. 12:00:00 (default: the partition's).") var time: String?
    @Option(parsing: .unconditional, help: "CPUs per job (default: a step's threads, 1 for light steps).") var cpus: Int?
    @Option(help: "Memory per job, e.g. 8G (default: the cluster's).") var mem: String?
    @Option(help: "Slurm account to charge.") var account: String?
    @Option(help: "Slurm quality of service.") var qos: String?
    @Option(name: .customLong("sbatch-arg"), parsing: .unconditionalSingleValue,
            help: "Extra sbatch argument, repeatable (e.g. --sbatch-arg=--constraint=avx2).")
    var sbatchArguments: [String] = []
    @Option(parsing: .unconditional, help: "Seconds between two squeue calls (one call covers all jobs of the run).") var pollEvery: Double = 10
    @Option(parsing: .unconditional, help: ArgumentHelp("Times a step's Slurm job may be submitted again after it was stopped by its time limit (only if its checkpoint advanced), preemption or a failed node; the new job resumes the checkpoint (default \(Self.defaultResubmissions)).", valueName: "n"))
    var resubmit: Int?

    static let defaultResubmissions = 10
    /// `--resubmit`, or its default on Slurm; 0 locally, where nothing stops a worker from outside.
    var resubmissions: Int { executor == .local ? 0 : resubmit ?? Self.defaultResubmissions }

    /// Steps at once when `--jobs` is not given: 2 locally (one training beside light steps), up to
    /// 100 jobs queued at once on Slurm, which places them.
    var defaultJobs: Int { executor == .local ? 2 : 100 }

    var commandLineSlurmOptions: SlurmOptions {
        SlurmOptions(partition: partition, time: time, cpus: cpus, memory: mem, account: account, qos: qos,
                     extraArguments: sbatchArguments)
    }

    func validate() throws {
        if executor == .local {
            let values: [(String, String?)] = [("--partition", partition), ("--time", time), ("--cpus", cpus.map(String.init)),
                                               ("--mem", mem), ("--account", account), ("--qos", qos),
                                               ("--sbatch-arg", sbatchArguments.first), ("--resubmit", resubmit.map(String.init))]
            let given = values.filter { $0.1 != nil }.map(\.0)
            guard given.isEmpty else { throw ValidationError("these options need --executor slurm: \(given.joined(separator: ", "))") }
        }
        if let time, let problem = SlurmOptions.problem(time: time) { throw ValidationError("--time: \(problem)") }
        if let mem, let problem = SlurmOptions.problem(memory: mem) { throw ValidationError("--mem: \(problem)") }
        if let cpus, cpus < 1 { throw ValidationError("--cpus must be at least 1, got \(cpus)") }
        if let resubmit, resubmit < 0 { throw ValidationError("--resubmit must be 0 or more, got \(resubmit)") }
        guard pollEvery > 0 else { throw ValidationError("--poll-every must be positive, got \(pollEvery)") }
    }

    /// The executor for a run of `graph` (read from `pipeline`), its workers running `executable`.
    /// `stepsWillRun` is asked only for Slurm: a run that reuses every step submits nothing, so it
    /// needs no cluster (a results folder made on one, read elsewhere).
    func makeExecutor(pipeline: String, graph: PipelineGraph, executable: URL,
                      stepsWillRun: () throws -> Bool) throws -> any StepExecutor {
        switch executor {
        case .local:
            return LocalProcessExecutor(executable: executable)
        case .slurm:
            var settings = try SlurmSettingsLoader.load(URL(fileURLWithPath: pipeline), kinds: Set(graph.steps.map(\.kind)))
            settings.commandLine = commandLineSlurmOptions
            let version = SlurmProcessRunner().run("sbatch", ["--version"])
            guard try version.status == 0 || !stepsWillRun() else {
                throw ValidationError("--executor slurm needs the Slurm client tools (sbatch, squeue, scontrol, scancel) on PATH "
                                      + "and a reachable cluster: \(version.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            return SlurmExecutor(.init(executable: executable, settings: settings, pollInterval: pollEvery))
        }
    }
}
