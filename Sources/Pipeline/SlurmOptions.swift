import Foundation

/// What a step's batch job asks Slurm for. A nil field is not passed to `sbatch`, so the cluster's
/// (or the partition's) default applies; `cpus` nil means the step's thread count.
public struct SlurmOptions: Equatable, Sendable {
    /// `--partition`.
    public var partition: String?
    /// `--time`, in any `sbatch` format: `minutes`, `h:mm:ss`, `days-hh:mm:ss`, ….
    public var time: String?
    /// `--cpus-per-task`; default: the step's threads (a `train` step's `threads`, 1 for light kinds).
    public var cpus: Int?
    /// `--mem`, e.g. `4G` or `4000` (MB).
    public var memory: String?
    /// `--account`.
    public var account: String?
    /// `--qos`.
    public var qos: String?
    /// Passed to `sbatch` as they are, after the options above (e.g. `--constraint=avx512`).
    public var extraArguments: [String]

    public init(partition: String? = nil, time: String? = nil, cpus: Int? = nil, memory: String? = nil,
                account: String? = nil, qos: String? = nil, extraArguments: [String] = []) {
        self.partition = partition; self.time = time; self.cpus = cpus; self.memory = memory
        self.account = account; self.qos = qos; self.extraArguments = extraArguments
    }

    /// `other`'s fields where it sets them, this one's elsewhere; extra arguments of both, `other`'s last.
    public func overridden(by other: SlurmOptions) -> SlurmOptions {
        SlurmOptions(partition: other.partition ?? partition, time: other.time ?? time, cpus: other.cpus ?? cpus,
                     memory: other.memory ?? memory, account: other.account ?? account, qos: other.qos ?? qos,
                     extraArguments: extraArguments + other.extraArguments)
    }

    /// The resource options for `sbatch`, for a step computing with `threads` threads.
    public func sbatchArguments(threads: Int) -> [String] {
        var arguments = ["--nodes=1", "--ntasks=1", "--cpus-per-task=\(cpus ?? threads)"]
        if let partition { arguments.append("--partition=\(partition)") }
        if let time { arguments.append("--time=\(time)") }
        if let memory { arguments.append("--mem=\(memory)") }
        if let account { arguments.append("--account=\(account)") }
        if let qos { arguments.append("--qos=\(qos)") }
        return arguments + extraArguments
    }

    /// Why `time` is not a Slurm time limit, or nil if it is one.
    public static func problem(time: String) -> String? {
        time.range(of: #"^([0-9]+-)?[0-9]+(:[0-9]+){0,2}$"#, options: .regularExpression) == nil
            ? "expected a Slurm time limit (minutes, h:mm:ss or days-hh:mm:ss), found '\(time)'" : nil
    }

    /// Why `memory` is not a Slurm memory size, or nil if it is one.
    public static func problem(memory: String) -> String? {
        memory.range(of: #"^[0-9]+[KMGT]?$"#, options: .regularExpression) == nil
            ? "expected a memory size such as 4000 (MB), 4G or 512M, found '\(memory)'" : nil
    }
}

/// Where a pipeline's Slurm options come from, least to most specific: the file's `slurm: default:`,
/// the file's `slurm: <kind>:`, then the command line (what the person typed last wins).
public struct SlurmSettings: Equatable, Sendable {
    public var fileDefault: SlurmOptions
    public var byKind: [String: SlurmOptions]
    public var commandLine: SlurmOptions

    public init(fileDefault: SlurmOptions = SlurmOptions(), byKind: [String: SlurmOptions] = [:],
                commandLine: SlurmOptions = SlurmOptions()) {
        self.fileDefault = fileDefault; self.byKind = byKind; self.commandLine = commandLine
    }

    /// The options of a step of `kind`.
    public func options(forKind kind: String) -> SlurmOptions {
        fileDefault.overridden(by: byKind[kind] ?? SlurmOptions()).overridden(by: commandLine)
    }
}
