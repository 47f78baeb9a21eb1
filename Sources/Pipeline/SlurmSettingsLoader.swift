import Foundation
import Yams

/// Reads the optional `slurm:` section of a pipeline file: batch-job options for every step
/// (`default`) and per step kind. Only `bce3s run --executor slurm` uses it; it is not part of any
/// step's cache key.
///
/// ```yaml
/// slurm:
///   default: {partition: cpu, time: "1:00:00", account: mylab}
///   train: {time: "12:00:00", mem: 8G}          # cpus: the step's `threads` unless set here
///   dataset: {sbatch_args: ["--constraint=avx2"]}
/// ```
public enum SlurmSettingsLoader {
    static let fields = ["partition", "time", "cpus", "mem", "account", "qos", "sbatch_args"]

    /// The file-side settings of the pipeline at `url`; `kinds` are the step kinds it uses (a section
    /// for another kind is an error, most likely a typo).
    public static func load(_ url: URL, kinds: Set<String>) throws -> SlurmSettings {
        try parse(try SpecLoader.readText(url), file: url.path, kinds: kinds)
    }

    /// Parses the `slurm:` section of pipeline text (the rest of the file is `SpecLoader`'s).
    public static func parse(_ text: String, file: String, kinds: Set<String>) throws -> SlurmSettings {
        func fail(_ message: String, _ node: Node) -> PipelineSpecError {
            PipelineSpecError("slurm: \(message)", at: SourceLocation(file: file, line: node.mark?.line ?? 0,
                                                                       column: node.mark?.column ?? 0), file: file)
        }
        guard let root = try? Yams.compose(yaml: text), case .mapping(let top) = root,
              let section = top["slurm"] else { return SlurmSettings() }
        guard case .mapping(let entries) = section else { throw fail("expected a mapping of step kind (or 'default') to options", section) }
        var settings = SlurmSettings()
        for (key, value) in entries {
            let name = key.string ?? ""
            guard name == "default" || kinds.contains(name) else {
                throw fail("'\(name)' is neither 'default' nor a step kind of this pipeline (kinds: \(kinds.sorted().joined(separator: ", ")))", key)
            }
            let options = try options(value, under: name, fail: fail)
            if name == "default" { settings.fileDefault = options } else { settings.byKind[name] = options }
        }
        return settings
    }

    private static func options(_ node: Node, under name: String,
                                fail: (String, Node) -> PipelineSpecError) throws -> SlurmOptions {
        guard case .mapping(let entries) = node else { throw fail("'\(name)' must be a mapping of options (\(fields.joined(separator: ", ")))", node) }
        var options = SlurmOptions()
        for (key, value) in entries {
            let field = key.string ?? ""
            // The scalar's text as written: YAML 1.1 would read an unquoted 1:00:00 as the number 3600.
            func text() throws -> String {
                guard case .scalar(let scalar) = value, !scalar.string.isEmpty else {
                    throw fail("'\(name).\(field)' must be a non-empty string", value)
                }
                return scalar.string
            }
            switch field {
            case "partition": options.partition = try text()
            case "account": options.account = try text()
            case "qos": options.qos = try text()
            case "time":
                let time = try text()
                if let problem = SlurmOptions.problem(time: time) { throw fail("'\(name).time': \(problem)", value) }
                options.time = time
            case "mem":
                let memory = try text()
                if let problem = SlurmOptions.problem(memory: memory) { throw fail("'\(name).mem': \(problem)", value) }
                options.memory = memory
            case "cpus":
                guard let cpus = value.int, cpus >= 1 else { throw fail("'\(name).cpus' must be an integer >= 1", value) }
                options.cpus = cpus
            case "sbatch_args":
                let items: [Node]
                if case .sequence(let sequence) = value { items = Array(sequence) } else { items = [] }
                let arguments = items.compactMap(\.string)
                guard !items.isEmpty, arguments.count == items.count else {
                    throw fail("'\(name).sbatch_args' must be a list of strings such as [\"--constraint=avx2\"]", value)
                }
                options.extraArguments = arguments
            default:
                throw fail("unknown option '\(field)' in '\(name)' (allowed: \(fields.joined(separator: ", ")))", key)
            }
        }
        return options
    }
}
