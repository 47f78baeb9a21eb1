import XCTest
@testable import Pipeline

final class SpecLoaderTests: XCTestCase {
    let registry = testRegistry(ExecutionLog())

    func testGridExpandsNamesParametersAndInputsFirstAxisSlowest() throws {
        let g = try graph("""
            pipeline: sweep
            steps:
              - name: base-{value}
                kind: const
                grid: {value: [1, 2]}
              - name: sum-{tag}-{offset}
                kind: add
                grid:
                  tag: [1, 2]
                  offset: [10, 20]
                inputs: {x: "base-{tag}"}
                params: {}
            """, registry: registry)
        XCTAssertEqual(g.name, "sweep")
        XCTAssertEqual(g.steps.map(\.name), ["base-1", "base-2", "sum-1-10", "sum-1-20", "sum-2-10", "sum-2-20"])
        let sum = g.steps[3]
        XCTAssertEqual(sum.parameters, Parameters(["tag": .int(1), "offset": .int(20)]))
        XCTAssertEqual(sum.inputs.map(\.name), ["x"])
        XCTAssertEqual(sum.inputs[0].steps, [0])
    }

    func testInputsResolvePatternsAndListsAndOrderStepsTopologically() throws {
        let g = try graph("""
            steps:
              - name: total
                kind: add
                inputs: {parts: ["c-*", b]}
              - {name: c-1, kind: const, params: {value: 1}}
              - {name: b, kind: const, params: {value: 2}}
              - {name: c-2, kind: const, params: {value: 3}}
            """, registry: registry)
        XCTAssertEqual(g.name, "test")
        XCTAssertEqual(g.steps.map(\.name), ["c-1", "b", "c-2", "total"])
        XCTAssertEqual(g.steps[3].inputs[0].steps.map { g.steps[$0].name }, ["c-1", "c-2", "b"])
    }

    func testValuesKeepTheirYAMLTypes() throws {
        let spec = try SpecLoader(file: "t.yaml", text: """
            steps:
              - name: a
                kind: const
                params: {i: 3, d: 0.5, e: 1e-3, b: true, s: "3", list: [1, x], map: {k: v}}
            """).parse()
        XCTAssertEqual(spec.steps[0].parameters.values, [
            "i": .int(3), "d": .double(0.5), "e": .double(0.001), "b": .bool(true), "s": .string("3"),
            "list": .list([.int(1), .string("x")]), "map": .map(["k": .string("v")]),
        ])
    }

    /// A whole number written with a decimal point is that integer, so `imbalance: 100.0` keys as
    /// `imbalance: 100` and `epochs: 200.0` is accepted where an integer is expected; a fraction
    /// and a whole number past 2^53 stay doubles.
    func testWholeNumbersAreIntegersHoweverTheyAreWritten() throws {
        let spec = try SpecLoader(file: "t.yaml", text: """
            steps:
              - name: a
                kind: const
                params: {w: 100.0, e: 2e2, n: -3.0, z: -0.0, f: 2.5, big: 1e300, nested: {lr: 1.0, list: [4.0, 0.25]}}
            """).parse()
        XCTAssertEqual(spec.steps[0].parameters.values, [
            "w": .int(100), "e": .int(200), "n": .int(-3), "z": .int(0), "f": .double(2.5), "big": .double(1e300),
            "nested": .map(["lr": .int(1), "list": .list([.int(4), .double(0.25)])]),
        ])
        let whole = try graph("steps:\n  - name: a\n    kind: const\n    params: {value: 3.0}\n", registry: registry)
        let plain = try graph("steps:\n  - name: a\n    kind: const\n    params: {value: 3}\n", registry: registry)
        XCTAssertEqual(whole.steps[0].parameters.values, plain.steps[0].parameters.values, "the const step's integer parameter accepts 3.0")
    }

    /// Each broken file must fail with its file, line and a message that says what is wrong.
    func testErrorsNameFileLineAndProblem() {
        let cases: [(yaml: String, line: Int, message: String)] = [
            ("stepz: []\n", 1, "unknown key 'stepz'"),
            ("steps:\n  - name: a\n    kind: const\n    parms: {value: 1}\n", 4, "unknown key 'parms'"),
            ("steps:\n  - name: [a]\n    kind: const\n", 2, "'name' must be a non-empty string"),
            ("steps:\n  - name: a\n    kind: const\n    params: 3\n", 4, "'params' must be a mapping"),
            ("steps:\n  - name: a\n    kind: const\n    params:\n      value: one\n", 5,
             "parameter 'value': expected an integer, found a string"),
            ("steps:\n  - name: a\n    kind: const\n    params: {value: 1, colour: red}\n", 4, "parameter 'colour': unknown parameter"),
            ("steps:\n  - name: a\n    kind: const\n    grid: {value: 1}\n", 4, "grid axis 'value' must be a non-empty list"),
            ("steps:\n  - name: a\n    kind: cnst\n", 3, "unknown step kind 'cnst' in step 'a' (did you mean 'const'?)"),
            ("steps:\n  - name: a\n    kind: const\n    params: {valu: 1}\n", 4,
             "parameter 'valu': unknown parameter (did you mean 'value'?)"),
            ("steps:\n  - name: a\n    kind: add\n    inputs: {x: nope}\n", 4, "no step matches 'nope'"),
            ("steps:\n  - {name: data, kind: const, params: {value: 1}}\n  - name: a\n    kind: add\n    inputs: {x: dataa}\n", 5,
             "no step matches 'dataa' (did you mean 'data'?)"),
            ("steps:\n  - name: a\n    kind: add\n    inputs: {x: b}\n  - name: b\n    kind: add\n    inputs: {x: a}\n", 2,
             "dependency cycle: a -> b -> a"),
            ("steps:\n  - name: a\n    kind: add\n    inputs: {x: a}\n", 2, "dependency cycle: a -> a"),
            ("steps:\n  - {name: a, kind: const, params: {value: 1}}\n  - {name: a, kind: const, params: {value: 2}}\n", 3,
             "duplicate step name 'a' (first defined at line 2)"),
            ("steps:\n  - name: a\n    kind: const\n    grid: {value: [1, 2], label: [x]}\n", 2,
             "grid axis 'value' has 2 values but the name 'a' has no '{value}'"),
            ("steps:\n  - name: a-{seed}\n    kind: const\n    params: {value: 1}\n", 2, "'{seed}' in 'a-{seed}' is not a grid axis"),
            ("steps:\n  - name: a\n    kind: add\n", 2, "'add' needs at least one input"),
            ("steps:\n  - name: a\n    kind: const\n    params: {value: 1\n", 5, "YAML syntax error"),
            ("pipeline: x\n", 1, "missing 'steps'"),
            // Issue 16: JSON (the cache key) has no NaN or infinity.
            ("steps:\n  - name: a\n    kind: const\n    params:\n      value: .nan\n", 5,
             "parameter 'value': expected a finite number, found .nan"),
            ("steps:\n  - name: a\n    kind: const\n    params: {value: 1, opts: {lr: [0.1, -.inf]}}\n", 4,
             "parameter 'opts.lr': expected a finite number, found -.inf"),
            ("steps:\n  - name: a-{value}\n    kind: const\n    grid: {value: [1, .inf]}\n", 4,
             "parameter 'value': expected a finite number, found .inf"),
            // Issue 17 case 2: names that would leave results/ or drive the terminal.
            ("steps:\n  - name: ../../../esctab\n    kind: const\n    params: {value: 1}\n", 2, "'/' (a name cannot be a path)"),
            ("steps:\n  - name: ..\n    kind: const\n    params: {value: 1}\n", 2, "must not start with '.'"),
            ("steps:\n  - name: \"a\\e[31mred\"\n    kind: const\n    params: {value: 1}\n", 2, "the character U+1B"),
            ("steps:\n  - name: x-{v}\n    kind: const\n    grid: {v: [1, /etc]}\n", 2, "'/' (a name cannot be a path)"),
            ("steps:\n  - name: café\n    kind: const\n    params: {value: 1}\n", 2,
             "step name 'café' contains 'é' (U+E9); use ASCII letters"),
            ("steps:\n  - name: \"a\\u202Eb\"\n    kind: const\n    params: {value: 1}\n", 2,
             "step name 'a\\u{202e}b' contains the character U+202E"),
            // Issue 17 case 9: a duplicated key carries its location.
            ("steps:\n  - name: a\n    kind: const\n    params: {value: 1}\n    params: {value: 2}\n", 4,
             "key 'params' appears more than once"),
        ]
        for (yaml, line, message) in cases {
            XCTAssertThrowsError(try graph(yaml, registry: registry), yaml) { error in
                guard let error = error as? PipelineSpecError else { return XCTFail("not a spec error: \(error)") }
                XCTAssertEqual(error.file, "test.yaml")
                XCTAssertEqual(error.location?.line, line, "\(yaml)\n\(error)")
                XCTAssertTrue(error.message.contains(message), "\(yaml)\n\(error.message)\nexpected: \(message)")
                XCTAssertTrue(error.description.hasPrefix("test.yaml:\(line):"), error.description)
            }
        }
    }

    func testAnEmptyFileIsAnError() {
        XCTAssertThrowsError(try graph("", registry: registry)) { error in
            XCTAssertTrue("\(error)".contains("empty"), "\(error)")
        }
    }

    /// Issue 17 case 2: a rejected name is never echoed with its control characters.
    func testANameWithAnEscapeIsNotPrintedRaw() {
        XCTAssertThrowsError(try graph("steps:\n  - name: \"x\\e]0;title\\a\"\n    kind: const\n    params: {value: 1}\n",
                                       registry: registry)) { error in
            XCTAssertFalse("\(error)".unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(error)")
        }
    }

    /// Issue 17 case 3: nine levels of nine aliases are refused at once, with a location, instead
    /// of expanding 9⁹ nodes.
    func testAliasBombsAreRefusedQuickly() throws {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        let yaml = "steps:\n  - name: a\n    kind: const\n    params:\n      value: 1\n      bomb:\n"
            + lines.map { "        " + $0 }.joined(separator: "\n") + "\n"
        let started = Date()
        XCTAssertThrowsError(try graph(yaml, registry: registry)) { error in
            guard let error = error as? PipelineSpecError else { return XCTFail("not a spec error: \(error)") }
            XCTAssertNotNil(error.location, "\(error)")
            XCTAssertTrue(error.message.contains("once its aliases are expanded"), error.message)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        // An alias as a key (Yams would hash its expansion) or an explicit key is refused before composing.
        for (keys, line, column) in [("x:\n  a: &a [1, 2]\n  *a : 1\n", 3, 3), ("x: {? [1, 2] : 1}\n", 1, 5),
                                     ("x:\n  ? [1]\n  : 1\n", 2, 3)] {
            XCTAssertThrowsError(try SpecLoader(file: "test.yaml", text: keys + "steps: []\n").parse(), keys) { error in
                XCTAssertEqual((error as? PipelineSpecError)?.location?.line, line, "\(keys): \(error)")
                XCTAssertEqual((error as? PipelineSpecError)?.location?.column, column, "\(keys): \(error)")
                XCTAssertTrue("\(error)".contains("plain name"), "\(error)")
            }
        }
        XCTAssertNil(ComplexKeyScan.firstComplexKey(in: "a: '? *b : c' # ? *x : y\nb: \"*c : d\"\nc: train-*\nd: what? yes\n"))
        // A few aliases are fine.
        XCTAssertNoThrow(try SpecLoader(file: "test.yaml", text: """
            steps:
              - {name: a, kind: const, params: &p {value: 1}}
              - {name: b, kind: const, params: *p}
            """).parse())
    }

    /// Issue 17 case 9: a file that is not UTF-8 is refused at the line and column of the bad byte.
    func testNonUTF8NamesItsLineAndColumn() {
        var bytes = Array("steps:\n  - name: ab".utf8)
        bytes += [0xC3, 0x28]
        XCTAssertThrowsError(try SpecLoader.decodeUTF8(Data(bytes), file: "bad.yaml")) { error in
            XCTAssertEqual("\(error)", "bad.yaml:2:13: error: the file is not UTF-8 text (byte 0xC3)")
        }
    }

    /// A pipeline path that is a folder, or names no file, says so (Foundation's wording was "error
    /// 256" and "The operation could not be completed").
    func testAFolderIsNotAPipelineFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dir-\(UUID().uuidString).yaml")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertThrowsError(try SpecLoader.load(folder)) { error in
            XCTAssertEqual("\(error)", "\(folder.path): error: is a directory; expected a pipeline file (YAML)")
        }
        XCTAssertThrowsError(try SlurmSettingsLoader.load(folder, kinds: [])) { error in
            XCTAssertTrue("\(error)".hasSuffix("is a directory; expected a pipeline file (YAML)"), "\(error)")
        }
        let absent = folder.appendingPathComponent("quick.yml")
        XCTAssertThrowsError(try SpecLoader.load(absent)) { error in
            XCTAssertEqual("\(error)", "\(absent.path): error: no such file; expected a pipeline file (YAML)")
        }
    }

    /// YAML 1.1 reads `0310` as octal 200 and `3:20` as base-60 200: such numbers are refused, in
    /// parameters and grids, rather than becoming another value; quoted they are text, and decimals stay numbers.
    func testOctalAndBaseSixtyNumbersAreRefused() throws {
        for (value, reading) in [("0310", "octal"), ("3:20", "base-60"), ("-010", "octal"), ("1:30.5", "base-60")] {
            for yaml in ["steps:\n  - name: a\n    kind: const\n    params: {value: \(value)}\n",
                         "steps:\n  - name: a-{x}\n    kind: const\n    params: {value: 1}\n    grid: {x: [1, \(value)]}\n"] {
                XCTAssertThrowsError(try SpecLoader(file: "test.yaml", text: yaml).parse(), yaml) { error in
                    XCTAssertTrue("\(error)".contains("\(value) is ") && "\(error)".contains(reading)
                                  && "\(error)".contains("without leading zeros or colons"), "\(error)")
                }
            }
        }
        XCTAssertThrowsError(try SpecLoader(file: "test.yaml", text: "steps:\n  - name: a\n    kind: const\n    params: {seed: 99999999999999999999}\n").parse()) { error in
            XCTAssertTrue("\(error)".contains("parameter 'seed': 99999999999999999999 is beyond the 64-bit integers"), "\(error)")
        }
        let fine = try SpecLoader(file: "test.yaml", text: "steps:\n  - name: a\n    kind: const\n    params: {a: 0.5, b: 0, c: \"010\", d: -3, e: 100.0}\n").parse()
        XCTAssertEqual(fine.steps[0].parameters.values["c"], .string("010"))
        XCTAssertEqual(fine.steps[0].parameters.values["a"], .double(0.5))
        XCTAssertEqual(fine.steps[0].parameters.values["b"], .int(0))
    }

    /// A grid axis left out of the step's name is named as such (it surfaced as "duplicate step name").
    func testAGridAxisMissingFromTheNameIsNamed() {
        let yaml = "steps:\n  - name: train-x\n    kind: const\n    params: {value: 1}\n    grid: {method: [ce, bce3s]}\n"
        XCTAssertThrowsError(try SpecLoader(file: "test.yaml", text: yaml).parse()) { error in
            XCTAssertEqual("\(error)", "test.yaml:2:11: error: grid axis 'method' has 2 values but the name 'train-x' has no "
                           + "'{method}', so its steps would share one name; add it to the name")
        }
        XCTAssertNoThrow(try SpecLoader(file: "test.yaml", text: yaml.replacingOccurrences(of: "[ce, bce3s]", with: "[ce]")),
                         "one value needs no placeholder")
    }

    /// A YAML merge key is named as such (it said "a parameter name must be a non-empty string").
    func testAMergeKeyIsNamed() {
        let yaml = "steps:\n  - name: a\n    kind: const\n    params: &p {value: 1}\n  - name: b\n    kind: const\n    params: {<<: *p, other: 2}\n"
        XCTAssertThrowsError(try SpecLoader(file: "test.yaml", text: yaml).parse()) { error in
            XCTAssertTrue("\(error)".hasPrefix("test.yaml:7:14: error: YAML merge keys ('<<: *anchor') are not supported"), "\(error)")
        }
    }

    /// Issue 17 case 8: a grid that would expand past the limit is refused before expanding.
    func testAGridBeyondTheLimitIsRefused() {
        let values = "[" + (0..<1000).map(String.init).joined(separator: ", ") + "]"
        let yaml = "steps:\n  - name: a-{x}-{y}\n    kind: const\n    params: {value: 1}\n    grid: {x: \(values), y: \(values)}\n"
        XCTAssertThrowsError(try SpecLoader(file: "test.yaml", text: yaml).parse()) { error in
            guard let error = error as? PipelineSpecError else { return XCTFail("not a spec error: \(error)") }
            XCTAssertEqual(error.location?.line, 5, "\(error)")
            XCTAssertTrue(error.message.contains("more than \(SpecLoader.maximumSteps) steps"), error.message)
        }
    }

    /// Issue 17 case 8: 20,000 steps (10,000 chained pairs by exact name) load and order well within a
    /// second per 10,000 steps — the quadratic version took several seconds.
    func testLoadingManyStepsStaysFast() throws {
        let yaml = """
            steps:
              - name: c-{label}
                kind: const
                grid: {label: [\((0..<10_000).map(String.init).joined(separator: ", "))]}
                params: {value: 1}
              - name: s-{tag}
                kind: add
                grid: {tag: [\((0..<10_000).map(String.init).joined(separator: ", "))]}
                inputs: {x: "c-{tag}"}
            """
        let started = Date()
        let g = try graph(yaml, registry: registry)
        XCTAssertEqual(g.steps.count, 20_000)
        XCTAssertEqual(g.steps[g.steps.count - 1].inputs[0].steps.count, 1)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "generous bound for a loaded debug build; see bench/")
    }
}
