import CBLAS
import CDNNL
import Foundation

/// The machine and numeric libraries a computation ran on, in one line for the store
/// (`step.machine`): the same seed, code and thread count give bit-identical results only on the
/// same CPU model with the same oneDNN, which picks its kernels (Winograd or direct, blocking,
/// bf16 support) by the instruction set it finds. So a stored result says where it was made:
/// "Intel(R) Xeon(R) Processor (x86_64, family 6, model 207), 2 CPUs; oneDNN 2.6.3 (isa
/// avx512_core_bf16); OpenBLAS 0.3.21 … USE_OPENMP … (core Prescott); Linux 6.18.44".
public enum ComputeEnvironment {
    /// The one-line description, read once per process.
    public static let summary: String = [processor, oneDNN, openBLAS, operatingSystem].joined(separator: "; ")

    /// CPU model, architecture, family/model numbers (Linux `/proc/cpuinfo`) and logical CPUs.
    static var processor: String {
        let cpus = "\(ProcessInfo.processInfo.activeProcessorCount) CPUs"
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU, \(cpus)" }
        func field(_ name: String) -> String? {
            for line in info.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }
        let identity = [field("cpu family").map { "family \($0)" }, field("model").map { "model \($0)" }].compactMap { $0 }
        let name = field("model name") ?? "unknown CPU"
        return "\(name) (\(([architecture] + identity).joined(separator: ", "))), \(cpus)"
    }

    static var architecture: String {
        #if arch(x86_64)
        "x86_64"
        #elseif arch(arm64)
        "arm64"
        #else
        "unknown architecture"
        #endif
    }

    /// oneDNN's version and the instruction set its kernels use here.
    static var oneDNN: String {
        let version = dnnl_version().pointee
        return "oneDNN \(version.major).\(version.minor).\(version.patch) (isa \(isaName(dnnl_get_effective_cpu_isa())))"
    }

    /// oneDNN's name for an instruction-set level (`dnnl_cpu_isa_t`), hex when this code does not know it.
    static func isaName(_ isa: dnnl_cpu_isa_t) -> String {
        let names: [UInt32: String] = [
            0x0: "all", 0x1: "sse41", 0x3: "avx", 0x7: "avx2", 0xf: "avx512_mic", 0x1f: "avx512_mic_4ops",
            0x27: "avx512_core", 0x67: "avx512_core_vnni", 0xe7: "avx512_core_bf16", 0x3e7: "avx512_core_amx",
            0x407: "avx2_vnni",
        ]
        return names[isa.rawValue] ?? "0x" + String(isa.rawValue, radix: 16)
    }

    /// OpenBLAS's build configuration (version, threading) and the core whose kernels it chose here.
    static var openBLAS: String {
        let config = openblas_get_config().map { String(cString: $0).trimmingCharacters(in: .whitespaces) } ?? "OpenBLAS"
        let core = openblas_get_corename().map { String(cString: $0) } ?? "unknown"
        return "\(config) (core \(core))"
    }

    static var operatingSystem: String {
        var name = utsname()
        uname(&name)
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        }
        return "\(text(name.sysname)) \(text(name.release))"
    }
}
