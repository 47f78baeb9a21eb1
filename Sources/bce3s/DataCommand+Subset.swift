import ArgumentParser
import Datasets
import Foundation

/// `bce3s data subset`: the long-tailed training subset, its counts and a fingerprint.
struct DataSubset: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subset",
        abstract: "Compute a long-tailed training subset and print its per-class counts and index hash.")

    @Option(help: "cifar10 or cifar100")
    var dataset: CIFARKind

    @OptionGroup var location: DataLocationOptions

    @Option(parsing: .unconditional, help: "Imbalance factor IF = n_max / n_min (e.g. 100, 50, 10).")
    var imbalance: Double = 100

    @Option(help: "exponential or step")
    var profile: ImbalanceProfile = .exponential

    @Option(help: "ldam (NumPy seed-0 shuffle, as LDAM-DRW) or first (file order, as the BCE3S code)")
    var policy: SelectionPolicy = .ldam

    @Option(parsing: .unconditional, help: "NumPy legacy seed of the ldam policy.")
    var seed: UInt32 = 0

    @Flag(help: "Print {\"counts\", \"total\", \"indices_sha256\"} as JSON.")
    var json = false

    func validate() throws {
        guard imbalance >= 1 else { throw ValidationError("--imbalance must be ≥ 1 (got \(imbalance))") }
    }

    func run() throws {
        let data = try location.fetcher().load(dataset)
        let subset = try LongTailSubset(balancedLabels: data.train.labels, classCount: data.classCount, profile: profile,
                                    imbalance: imbalance, policy: policy, seed: seed)
        if json {
            print(try JSONOutput.line(Summary(counts: subset.counts, total: subset.total, indicesSHA256: subset.indicesSHA256)))
            return
        }
        let groups = ShotGroupRule.standard.classes(classCounts: subset.counts)
        let factor = imbalance == imbalance.rounded() && abs(imbalance) < 1e15 ? String(Int(imbalance)) : String(imbalance)
        print("\(dataset.rawValue)-LT IF \(factor) \(profile.rawValue) \(policy.rawValue)"
              + (data.isSynthetic ? " (synthetic data)" : ""))
        print("counts: \(subset.counts.map(String.init).joined(separator: " "))")
        print("total: \(subset.total)")
        print("shot groups (many >100 / medium / few <20): \(groups[.many]!.count) / \(groups[.medium]!.count) / \(groups[.few]!.count)")
        print("indices_sha256: \(subset.indicesSHA256)")
    }

    /// What `--json` prints.
    private struct Summary: Encodable {
        var counts: [Int]
        var total: Int
        var indicesSHA256: String

        enum CodingKeys: String, CodingKey { case counts, total, indicesSHA256 = "indices_sha256" }
    }
}
