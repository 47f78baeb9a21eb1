import CanonicalJSON
import XCTest
@testable import Pipeline

/// `Planner` is pure: these tests run it on small graphs against a cache in memory.
final class PlannerTests: XCTestCase {
    let log = ExecutionLog()
    lazy var registry = testRegistry(log)

    let twoSteps = """
        steps:
          - {name: a, kind: const, params: {value: 1}}
          - {name: b, kind: add, inputs: {x: a}}
        """

    /// Plays a run against `cache`: every step that would run is remembered as having run.
    func simulateRun(_ g: PipelineGraph, _ cache: inout MemoryCache, forced: Set<String> = []) throws {
        var digests: [String] = []
        for step in g.steps {
            let inputs = step.inputs.map { ($0.name, $0.steps.map { digests[$0] }) }
            let decision = try Planner.decide(step, inputDigests: inputs, forced: forced.contains(step.name), cache: cache)
            if case .run(let key?, _) = decision { cache.remember(step, key: key, inputDigests: inputs) }
            digests.append(cache.byKey[decision.key!]!.outputDigest!)
        }
    }

    func testNewPipelineRunsEverythingAndDownstreamWaitsForItsInputs() throws {
        let decisions = try Planner.plan(try graph(twoSteps, registry: registry), forced: [], cache: MemoryCache())
        guard case .run(let key?, let reasons) = decisions[0] else { return XCTFail("\(decisions)") }
        XCTAssertEqual(key.count, 64)
        XCTAssertEqual(reasons, [.new])
        XCTAssertEqual(decisions[1], .run(key: nil, reasons: [.inputWillRun(["a"])]))
        XCTAssertEqual(decisions[1].reasonText, "input will run: a")
    }

    func testAfterARunEveryStepIsReused() throws {
        let g = try graph(twoSteps, registry: registry)
        var cache = MemoryCache()
        try simulateRun(g, &cache)
        let decisions = try Planner.plan(g, forced: [], cache: cache)
        XCTAssertEqual(decisions.map(\.reasonText), ["cached", "cached"])
        XCTAssertEqual(decisions[0].key, cache.byName["a"]!.key)
    }

    func testParameterChangeRerunsTheStepAndItsDependentsSayTheirInputChanged() throws {
        var cache = MemoryCache()
        try simulateRun(try graph(twoSteps, registry: registry), &cache)
        let changed = try graph(twoSteps.replacingOccurrences(of: "value: 1", with: "value: 2"), registry: registry)
        let decisions = try Planner.plan(changed, forced: [], cache: cache)
        XCTAssertEqual(decisions.map(\.reasonText), ["parameters changed: value", "input will run: a"])
        let newDigest = "out-" + decisions[0].key!
        let b = try Planner.decide(changed.steps[1], inputDigests: [("x", [newDigest])], forced: false, cache: cache)
        XCTAssertEqual(b.reasonText, "input changed: x")
    }

    func testVersionChangeRerunsEveryStepOfTheKind() throws {
        var cache = MemoryCache()
        try simulateRun(try graph(twoSteps, registry: registry), &cache)
        let bumped = try graph(twoSteps, registry: testRegistry(log, constVersion: 2))
        XCTAssertEqual(try Planner.plan(bumped, forced: [], cache: cache)[0].reasonText, "version changed (1 -> 2)")
    }

    func testForcedStepRunsWithItsKnownKeyWhileOthersAreReused() throws {
        let g = try graph(twoSteps, registry: registry)
        var cache = MemoryCache()
        try simulateRun(g, &cache)
        let decisions = try Planner.plan(g, forced: ["b"], cache: cache)
        XCTAssertEqual(decisions[0].reasonText, "cached")
        XCTAssertEqual(decisions[1], .run(key: cache.byName["b"]!.key, reasons: [.forced]))
        XCTAssertEqual(try Planner.plan(g, forced: ["a"], cache: cache).map(\.reasonText), ["forced", "input will run: a"])
    }

    func testFailedStepRunsAgainAndSaysWhy() throws {
        let g = try graph(twoSteps, registry: registry)
        var cache = MemoryCache()
        let key = try Planner.plan(g, forced: [], cache: cache)[0].key!
        cache.remember(g.steps[0], key: key, inputDigests: [], succeeded: false)
        XCTAssertEqual(try Planner.plan(g, forced: [], cache: cache).map(\.reasonText), ["failed before: boom", "input will run: a"])
        XCTAssertEqual(RunReason.failedBefore("worker killed by signal 9 (SIGKILL) (log /r/logs/k.log:\ntick 3 of 9)").description,
                       "failed before: worker killed by signal 9 (SIGKILL) (log /r/logs/k.log)", "the log's lines are not in the reason")
    }

    func testMissingArtifactsRerunTheStep() throws {
        let g = try graph(twoSteps, registry: registry)
        var cache = MemoryCache()
        try simulateRun(g, &cache)
        cache.byKey[cache.byName["a"]!.key]!.artifactProblem = "artifacts/k/out.txt is missing"
        XCTAssertEqual(try Planner.plan(g, forced: [], cache: cache)[0].reasonText,
                       "stored artifact not usable: artifacts/k/out.txt is missing")
    }

    func testAddedInputCountsAsInputChange() throws {
        var cache = MemoryCache()
        let three = twoSteps + "\n  - {name: c, kind: const, params: {value: 5}}"
        try simulateRun(try graph(three, registry: registry), &cache)
        let rewired = try graph(three.replacingOccurrences(of: "inputs: {x: a}", with: "inputs: {x: a, y: c}"), registry: registry)
        let b = rewired.steps[rewired.steps.firstIndex { $0.name == "b" }!]
        let decision = try Planner.decide(b, inputDigests: [("x", [cache.byName["a"]!.outputDigest!]), ("y", [cache.byName["c"]!.outputDigest!])],
                                          forced: false, cache: cache)
        XCTAssertEqual(decision.reasonText, "input changed: y")
    }

    /// Golden keys: changing how keys are computed silently invalidates every user's cache, so it
    /// must be a deliberate change. Computed independently in Python:
    /// `hashlib.sha256(json.dumps(d, sort_keys=True, separators=(",", ":")).encode()).hexdigest()`
    /// with `d = {"kind": "write", "version": 1, "params": {"text": "1"}, "inputs": {}}` and
    /// `d = {"kind": "sum", "version": 1, "params": {"offset": 0.5}, "inputs": {"parts": ["aa", "bb"]}}`.
    func testCacheKeyGoldenValues() throws {
        XCTAssertEqual(try CacheKey.compute(kind: "write", version: 1, parameters: Parameters(["text": .string("1")]), inputDigests: []),
                       "34b1d4b89732b174204abac7386a670a38d1b73e09f95433549121b62c53f74b")
        XCTAssertEqual(try CacheKey.compute(kind: "sum", version: 1, parameters: Parameters(["offset": .double(0.5)]),
                                        inputDigests: [("parts", ["aa", "bb"])]),
                       "ebb2716cabb749381ef633d7e3d3dd0bb398740b17b9c806b569f828c24221df")
    }

    func testCacheKeyDependsOnContentNotOnNamesOrKeyOrder() throws {
        let p1 = Parameters(["value": .int(1), "label": .string("x")])
        let p2 = Parameters(["label": .string("x"), "value": .int(1)])
        let key = try CacheKey.compute(kind: "const", version: 1, parameters: p1, inputDigests: [("x", ["d1", "d2"])])
        XCTAssertEqual(key, try CacheKey.compute(kind: "const", version: 1, parameters: p2, inputDigests: [("x", ["d1", "d2"])]))
        let variants = try [
            CacheKey.compute(kind: "add", version: 1, parameters: p1, inputDigests: [("x", ["d1", "d2"])]),
            CacheKey.compute(kind: "const", version: 2, parameters: p1, inputDigests: [("x", ["d1", "d2"])]),
            CacheKey.compute(kind: "const", version: 1, parameters: Parameters(["value": .double(1)]), inputDigests: [("x", ["d1", "d2"])]),
            CacheKey.compute(kind: "const", version: 1, parameters: p1, inputDigests: [("x", ["d2", "d1"])]),
            CacheKey.compute(kind: "const", version: 1, parameters: p1, inputDigests: [("y", ["d1", "d2"])]),
        ]
        XCTAssertEqual(Set(variants + [key]).count, variants.count + 1)
        XCTAssertEqual(try p1.canonicalJSON, #"{"label":"x","value":1}"#)
    }

    /// Awkward values as Python writes them (`make_canonical_json_fixture.py` holds many more;
    /// these strings are its `json.dumps(…, sort_keys=True, separators=(",", ":"),
    /// ensure_ascii=False)` output): `\b`/`\f` short escapes, raw non-ASCII, 2^53 + 2 positional.
    func testCanonicalJSONIsPythons() throws {
        let parameters = Parameters(["z": .string("\u{08}\u{0C}\u{01}é😀"), "a": .list([.double(9007199254740994), .double(1e-7), .int(3)]),
                                     "m": .map(["b": .bool(true), "B": .double(0.1)])])
        XCTAssertEqual(try parameters.canonicalJSON,
                       #"{"a":[9007199254740994.0,1e-07,3],"m":{"B":0.1,"b":true},"z":"\b\f\u0001é😀"}"#)
    }

    /// NaN and infinity are an error naming the field, in the parameters and in the key.
    func testNonFiniteParametersAreAnErrorNamingTheField() {
        let parameters = Parameters(["opts": .map(["lr": .list([.double(0.1), .double(.nan)])])])
        XCTAssertThrowsError(try parameters.canonicalJSON) { error in
            XCTAssertEqual((error as? NonFiniteNumberError)?.field, "opts.lr[1]", "\(error)")
        }
        XCTAssertThrowsError(try CacheKey.compute(kind: "k", version: 1, parameters: parameters, inputDigests: [])) { error in
            XCTAssertEqual((error as? NonFiniteNumberError)?.field, "params.opts.lr[1]", "\(error)")
        }
    }
}
