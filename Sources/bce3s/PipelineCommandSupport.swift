import ArgumentParser
import Foundation
import Pipeline
import Steps
import Store

/// The `--results` option shared by the pipeline and store commands.
struct ResultsOptions: ParsableArguments {
    @Option(name: .customLong("results"), help: "Results directory (store, artifacts, logs).")
    var directory: String = "results"

    var layout: ResultsLayout { ResultsLayout(root: URL(fileURLWithPath: directory)) }
}

/// An option whose value does not fit the pipeline (`--only` naming no step): a usage error, exit 64
/// as ArgumentParser's own, found only once the pipeline is loaded.
struct UsageError: Error, CustomStringConvertible {
    let description: String
}

/// Error reporting shared by the commands: a pipeline-file error exits with status 2, a usage
/// error with 64, a store or other runtime error with status 1, each as one clear line on stderr.
enum CommandErrors {
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PipelineSpecError {
            printError("\(error)")
            throw ExitCode(2)
        } catch let error as UsageError {
            printError("error: \(error)")
            throw ExitCode.validationFailure
        } catch let error as StoreError {
            printError("error: \(error)")
            throw ExitCode(1)
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("error: \(text(error))")
            throw ExitCode(1)
        }
    }

    /// An error as one line for the terminal: Foundation's file errors by `describe`, the others
    /// by their own description.
    static func text(_ error: Error) -> String {
        if let file = error as? CocoaError, file.isFileError { return describe(file) }
        return "\(error)"
    }

    /// Foundation's file errors as "cannot write PATH: permission denied" rather than their
    /// `NSCocoaErrorDomain Code=513 …` dump.
    static func describe(_ error: CocoaError) -> String {
        let path = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path ?? "a file"
        let verb = (512..<768).contains(error.code.rawValue) ? "cannot write" : (256..<512).contains(error.code.rawValue) ? "cannot read" : "cannot use"
        let reason: String
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            reason = String(cString: strerror(Int32(underlying.code)))
        } else {
            switch error.code {
            case .fileWriteNoPermission, .fileReadNoPermission: reason = "permission denied"
            case .fileWriteOutOfSpace: reason = "no space left on the device"
            case .fileWriteVolumeReadOnly: reason = "read-only file system"
            case .fileNoSuchFile, .fileReadNoSuchFile: reason = "no such file or directory"
            case .fileWriteFileExists: reason = "a file is in the way"
            default: reason = "file error \(error.code.rawValue)"
            }
        }
        return "\(verb) \(path): \(reason)"
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// Loading a pipeline file into a validated graph with the kinds this binary knows.
enum PipelineLoading {
    /// The validated graph of the pipeline file at `path`, with what its steps read from `dataDirectory`.
    static func graph(_ path: String, dataDirectory: String) throws -> PipelineGraph {
        let url = URL(fileURLWithPath: path)
        let graph = try PipelineGraph(SpecLoader.load(url), registry: StepCatalog.registry)
            .withExternalInputs(dataDirectory: URL(fileURLWithPath: dataDirectory), registry: StepCatalog.registry)
        // The `slurm:` section is checked whatever the executor: a typo there fails here, not on the cluster.
        _ = try SlurmSettingsLoader.load(url, kinds: Set(graph.steps.map(\.kind)))
        return graph
    }

    /// Names of the steps matched by the patterns given to `option`; one matching nothing is an error.
    static func names(_ patterns: [String], option: String, in graph: PipelineGraph) throws -> Set<String> {
        var names: Set<String> = []
        for pattern in patterns {
            let matched = graph.stepNames(matching: pattern)
            guard !matched.isEmpty else {
                throw UsageError(description: "\(option) \(pattern): no step of the pipeline \(graph.file) matches"
                                      + NearestName.hint(for: pattern, among: graph.steps.map(\.name)))
            }
            names.formUnion(matched)
        }
        return names
    }

    /// The store for reading if it exists (nil for a results directory that has never run).
    static func existingStore(_ layout: ResultsLayout) throws -> ExperimentStore? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: layout.root.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw StoreError.missing(layout.store)  // says that the results folder is a file
        }
        return FileManager.default.fileExists(atPath: layout.store.path) ? try ExperimentStore.openReadOnly(at: layout.store) : nil
    }

    /// Prints one line per step: whether it is reused or will run, its key and why (for a reused
    /// step computed by other code than the working directory's, which code that was).
    ///
    /// With `reuseOnly` (a dry run of `run --reuse-only`), a step of it that is not cached shows
    /// `fail` and the steps that need it `skip`, as the run would. Without a store (`store` nil)
    /// a last line says so, naming the path looked at.
    static func printPlan(_ graph: PipelineGraph, _ decisions: [StepDecision], store: ExperimentStore?,
                          layout: ResultsLayout, reuseOnly: Set<String> = []) throws {
        let width = max(4, graph.steps.map(\.name.count).max() ?? 0)
        let currentCode = CodeVersion.current(resultsDirectory: layout.root)
        print("STEP".padding(toLength: width, withPad: " ", startingAt: 0) + "  ACTION  KEY           REASON")
        var blocked: Set<Int> = []
        for (index, (step, decision)) in zip(graph.steps, decisions).enumerated() {
            var action = "run   ", reason = decision.reasonText
            let failedInputs = step.inputs.flatMap(\.steps).filter(blocked.contains).map { graph.steps[$0].name }
            if case .reuse(let key, _) = decision {
                action = "reuse "
                if let store { reason = try ReuseProvenance.reason(key: key, store: store, currentCode: currentCode) }
            } else if !failedInputs.isEmpty {
                (action, reason) = ("skip  ", "input failed: \(failedInputs.joined(separator: ", "))")
                blocked.insert(index)
            } else if reuseOnly.contains(step.name) {
                (action, reason) = ("fail  ", "not cached (\(decision.reasonText)) and this run may only reuse it")
                blocked.insert(index)
            }
            let key = decision.key.map { String($0.prefix(12)) } ?? "-           "
            print(step.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(action)  \(key)  \(reason)")
        }
        let reused = decisions.filter { if case .reuse = $0 { return true } else { return false } }.count
        print("\(decisions.count) steps: \(reused) cached, \(decisions.count - reused - blocked.count) will run"
              + (blocked.isEmpty ? "" : ", \(blocked.count) would fail or be skipped"))
        if store == nil {  // a misspelt --results looks like a fresh start otherwise
            print("(no store at \(layout.store.path) yet, so nothing is cached; --results names another folder)")
        }
    }
}
