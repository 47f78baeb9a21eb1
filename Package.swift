// swift-tools-version:6.0
// The bce3s reproducibility pipeline. Layering (see README "Architecture"):
// shims -> Tensor -> NN -> Methods -> Training; Datasets (Foundation + Crypto); Analysis -> Tensor;
// CanonicalJSON (byte-exact JSON, no dependencies) -> NN, Pipeline; Store (all SQL) -> Pipeline / Reports;
// Steps wires domain modules to the pipeline; bce3s is the CLI: it parses, calls one entry point
// per command and prints.
import PackageDescription

// Release builds use the default -O: preconditions (shape checks) and bounds checks stay on.
// Measured on 2026-11-30 (medians of 5, 2 threads): -Ounchecked trained ResNet-32 2–5 % faster
// (fp32 952 vs 906, bf16 1221 vs 1192 images/s) and augmented 1.7× faster (an epoch's augmentation
// is < 1 % of its time) — not worth turning a shape bug into silent memory corruption in a long run.

/// oneDNN runs on OpenMP; link the OpenMP build of OpenBLAS (not the pthread default of
/// Debian's alternatives) so both libraries share one thread pool on the two cores.
let openBLASWithOpenMP: [LinkerSetting] = [.unsafeFlags([
    "-L/usr/lib/x86_64-linux-gnu/openblas-openmp",
    "-Xlinker", "-rpath", "-Xlinker", "/usr/lib/x86_64-linux-gnu/openblas-openmp",
])]

let package = Package(
    name: "bce3s",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bce3s", targets: ["bce3s"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // System-library shims: a modulemap and one header each, no Swift code.
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo"),

        // The one writer of byte-exact JSON: cache keys (Pipeline) and safetensors headers (NN).
        .target(name: "CanonicalJSON", exclude: ["README.md"]),
        .target(name: "Tensor", dependencies: ["CDNNL", "CBLAS"], exclude: ["README.md"],
                linkerSettings: openBLASWithOpenMP),
        .target(name: "NN", dependencies: ["Tensor", "CanonicalJSON"], exclude: ["README.md"]),
        .target(name: "Datasets", dependencies: [.product(name: "Crypto", package: "swift-crypto")], exclude: ["README.md"]),
        .target(name: "Methods", dependencies: ["Tensor", "NN"], exclude: ["README.md"]),
        .target(name: "Training", dependencies: ["Tensor", "NN", "Methods", "Datasets"], exclude: ["README.md"]),
        .target(name: "Analysis", dependencies: ["Tensor"], exclude: ["README.md"]),
        .target(name: "Plotting", dependencies: ["CCairo", "CPNG"], exclude: ["README.md"]),
        .target(name: "Store", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Pipeline", dependencies: ["Store", "CanonicalJSON", "Yams", .product(name: "Crypto", package: "swift-crypto")],
                exclude: ["README.md"]),
        .target(name: "Reports", dependencies: ["Store"], exclude: ["README.md"]),
        .target(name: "Steps", dependencies: ["Pipeline", "Store", "Tensor", "NN", "Datasets", "Methods",
                                              "Training", "Analysis", "Plotting", "Reports"]),
        .executableTarget(name: "bce3s", dependencies: [
            "Steps", "Pipeline", "Store", "Reports", "Datasets", "NN", "Tensor", "Methods", "Training",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "CanonicalJSONTests", dependencies: ["CanonicalJSON"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MethodsTests", dependencies: ["Methods", "Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Methods", "Datasets", "NN"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "CanonicalJSON", "Store", .product(name: "GRDB", package: "GRDB.swift")]),
        // End-to-end: runs the built `bce3s` binary (run, status, query, kill -9 and resume).
        .testTarget(name: "PipelineCLITests", dependencies: ["Plotting", "Store", .product(name: "GRDB", package: "GRDB.swift")],
                    exclude: ["Fixtures"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Tensor", "Datasets"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Store", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "StepsTests", dependencies: ["Steps", "Pipeline", "Store", "Reports", "Methods", "Training", "Datasets", "NN",
                                                     .product(name: "GRDB", package: "GRDB.swift")]),
    ],
    swiftLanguageModes: [.v5]
)
