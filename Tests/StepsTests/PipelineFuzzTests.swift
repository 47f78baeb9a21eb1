import Foundation
import XCTest
@testable import Pipeline
@testable import Steps

/// Issue 17: a few hundred mutants of the shipped pipelines (fixed seed), loaded, validated with
/// this binary's step kinds and planned in-process. None may crash or hang; every invalid one must
/// fail with a `PipelineSpecError` that carries `file:line:column` (what `bce3s` exits 2 with).
final class PipelineFuzzTests: XCTestCase {
    static let pipelines = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../pipelines").standardizedFileURL

    static let mutantsPerFile = 70
    static let seed: UInt64 = 17

    func testMutantsOfTheShippedPipelinesFailCleanlyWithALocation() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.pipelines, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }.sorted { $0.path < $1.path }
        XCTAssertGreaterThanOrEqual(files.count, 5)
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-no-data-\(UUID().uuidString)")
        var random = SplitMix(seed: Self.seed)
        var invalid = 0, valid = 0, unlocated: [String] = []
        let started = Date()
        for file in files {
            let original = try Data(contentsOf: file)
            for index in 0..<Self.mutantsPerFile {
                let (mutant, how) = Mutator.mutate(original, &random)
                let name = "\(file.lastPathComponent)#\(index)"
                let one = Date()
                do {
                    let text = try SpecLoader.decodeUTF8(mutant, file: name)
                    let graph = try PipelineGraph(SpecLoader(file: name, text: text).parse(), registry: StepCatalog.registry)
                        .withExternalInputs(dataDirectory: dataDirectory, registry: StepCatalog.registry)
                    _ = try Planner.plan(graph, forced: [], cache: EmptyCache())
                    valid += 1
                } catch let error as PipelineSpecError {
                    invalid += 1
                    if error.location == nil || !error.description.hasPrefix("\(name):") { unlocated.append("\(name) (\(how)): \(error)") }
                } catch {
                    unlocated.append("\(name) (\(how)): not a pipeline-file error: \(error)")
                }
                XCTAssertLessThan(Date().timeIntervalSince(one), 5, "\(name) (\(how)) took too long")
            }
        }
        XCTAssertEqual(unlocated, [], "every invalid file needs file:line:column")
        XCTAssertGreaterThan(invalid, files.count * Self.mutantsPerFile / 3, "the mutants should mostly be invalid")
        XCTAssertLessThan(Date().timeIntervalSince(started), 60)
        print("fuzz: \(valid + invalid) mutants, \(invalid) invalid (all located), \(valid) valid, "
              + String(format: "%.1f s", Date().timeIntervalSince(started)))
    }
}

extension PipelineFuzzTests {
    /// An analyse step whose seed or method contradicts its model's train step fails when the file
    /// loads, at the parameter's line, instead of after the training.
    func testAnAnalyseStepThatContradictsItsModelFailsWhenTheFileLoads() throws {
        func pipeline(analyse: String) -> String {
            """
            steps:
              - {name: data, kind: dataset, params: {dataset: cifar10, imbalance: 100}}
              - name: train
                kind: train
                params: {dataset: cifar10, imbalance: 100, method: ce, epochs: 2, seed: 1}
                inputs: {data: data}
              - name: analyse
                kind: analyse
                params: {dataset: cifar10, imbalance: 100, \(analyse)}
                inputs: {model: train, data: data}
            """
        }
        for (analyse, message) in [("seed: 0", "parameter 'seed': 0 but input 'model' trains with seed 1"),
                                   ("seed: 1, method: bce3s", "parameter 'method': 'bce3s' but input 'model' trains 'ce'")] {
            XCTAssertThrowsError(try PipelineGraph(SpecLoader(file: "p.yaml", text: pipeline(analyse: analyse)).parse(),
                                                   registry: StepCatalog.registry)) { error in
                XCTAssertTrue("\(error)".hasPrefix("p.yaml:9:") && "\(error)".contains(message), "\(error)")
            }
        }
        XCTAssertNoThrow(try PipelineGraph(SpecLoader(file: "p.yaml", text: pipeline(analyse: "seed: 1, method: ce")).parse(),
                                           registry: StepCatalog.registry))
    }

    /// An unknown kind's error offers the project's kinds first and names the runner's own check
    /// kinds apart, so a user is not told that `fail` or `count` is a kind of work.
    func testAnUnknownKindListsTheWorkKindsBeforeTheRunnerChecks() {
        let text = "steps:\n  - {name: t, kind: trian}\n"
        XCTAssertThrowsError(try PipelineGraph(SpecLoader(file: "p.yaml", text: text).parse(), registry: StepCatalog.registry)) { error in
            XCTAssertEqual("\(error)", "p.yaml:2:21: error: unknown step kind 'trian' in step 't' (did you mean 'train'?) "
                           + "(known: analyse, dataset, figures, table, train; runner checks: count, fail, sum, write)")
        }
    }
}

private struct EmptyCache: CacheLookup {
    func step(key: String) throws -> CachedStep? { nil }
    func previous(name: String) throws -> CachedStep? { nil }
}

/// SplitMix64: a tiny seeded generator, so the mutants are the same on every machine.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutations a hostile-but-realistic user's file goes through: lines lost, doubled, swapped or
/// re-indented, stray YAML syntax, odd values, aliases, truncation, bytes that are not UTF-8.
private enum Mutator {
    static let tokens = ["&a ", "*a", "!!binary ", "{", "}", "[", "]", ": ", "- ", "..", "/", "\u{1b}[31m", "\t", "#", "'", "\"",
                         "? ", "|", ">", "%YAML 1.1\n", "---\n", "...\n", "<<: *a\n", "~", "null", "1e999", "-1", "0", ".nan",
                         "99999999999999999999999", "@", "`", "\u{0}", "é", "{x}", "{method", "*", "&"]
    static let values = ["0", "-1", "1e9", ".inf", "-.inf", ".nan", "null", "~", "[]", "{}", "\"\"", "yes", "-0.0",
                         "99999999999999999999", "[1, [2]]", "{a: {b: c}}", "../x", "train-*", "\"\\e[2J\"", "&b [1, 2]", "*b",
                         "!!float x", "2001-01-01", "0x1F", "'{seed}'", "\"a/b\""]

    static func mutate(_ data: Data, _ random: inout SplitMix) -> (Data, String) {
        var bytes = [UInt8](data)
        var text = String(decoding: data, as: UTF8.self)
        var lines = text.components(separatedBy: "\n")
        let line = Int.random(in: 0..<lines.count, using: &random)
        switch Int.random(in: 0..<10, using: &random) {
        case 0:
            lines.remove(at: line)
            return (Data(lines.joined(separator: "\n").utf8), "line \(line + 1) deleted")
        case 1:
            lines.insert(lines[line], at: line)
            return (Data(lines.joined(separator: "\n").utf8), "line \(line + 1) doubled")
        case 2:
            let other = Int.random(in: 0..<lines.count, using: &random)
            lines.swapAt(line, other)
            return (Data(lines.joined(separator: "\n").utf8), "lines \(line + 1) and \(other + 1) swapped")
        case 3:
            lines[line] = Bool.random(using: &random) ? "  " + lines[line] : String(lines[line].drop { $0 == " " }.dropFirst(0))
            return (Data(lines.joined(separator: "\n").utf8), "line \(line + 1) re-indented")
        case 4, 5:
            let token = tokens.randomElement(using: &random)!
            let scalars = Array(text.unicodeScalars)
            let at = Int.random(in: 0...scalars.count, using: &random)
            text = String(String.UnicodeScalarView(scalars[..<at])) + token + String(String.UnicodeScalarView(scalars[at...]))
            return (Data(text.utf8), "\(token.debugDescription) inserted at \(at)")
        case 6, 7:
            let candidates = lines.indices.filter { lines[$0].contains(": ") }
            guard let target = candidates.randomElement(using: &random) else { return (data, "unchanged") }
            let parts = lines[target].components(separatedBy: ": ")
            let keep = Int.random(in: 1..<parts.count, using: &random)
            let value = values.randomElement(using: &random)!
            lines[target] = parts[..<keep].joined(separator: ": ") + ": " + value
            return (Data(lines.joined(separator: "\n").utf8), "value on line \(target + 1) set to \(value)")
        case 8:
            let at = Int.random(in: 0..<bytes.count, using: &random)
            return (Data(bytes[..<at]), "truncated at byte \(at)")
        default:
            let at = Int.random(in: 0..<bytes.count, using: &random)
            bytes[at] = [0xFF, 0xC3, 0x80, 0xE2][Int.random(in: 0..<4, using: &random)]
            return (Data(bytes), "byte \(at) replaced")
        }
    }
}
