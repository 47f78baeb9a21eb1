import Foundation
import Store

/// The paper's tables rebuilt from the store: ours as mean ± std over seeds beside the
/// published number and the difference (ours − published), with a footnote on how the
/// numbers were made. Top-1 figures are read as percentages.
public struct ReportTables {
    public let train: [TrainResult]
    public let geometry: [GeometryResult]
    /// Every way our runs differ from the paper's (from the pipeline spec), for the footnote.
    public let deviations: [String]

    public init(train: [TrainResult], geometry: [GeometryResult] = [], deviations: [String] = []) {
        (self.train, self.geometry, self.deviations) = (train, geometry, deviations)
    }

    /// Reads the train and geometry results of `store`; with `steps`, only those of the steps
    /// with these cache keys (what a pipeline's table step was given as inputs).
    public init(store: ExperimentStore, geometryKind: String = "analyse", deviations: [String] = [],
                steps: Set<String>? = nil) throws {
        self.init(train: try StoredResults.trainResults(in: store, steps: steps),
                  geometry: try StoredResults.geometryResults(in: store, kind: geometryKind, steps: steps), deviations: deviations)
    }

    /// "ours (published, Δ)": e.g. "88.90 ± 0.21 (90.08, −1.18)"; "—" without runs. With
    /// `shortened` (ours ran a shorter schedule than the one published), the published number is
    /// marked "90.08†" and `shortenedNote` explains the mark.
    static func cell(_ ours: SeedSummary?, _ published: Double?, shortened: Bool = false) -> String {
        guard let ours else { return published.map { "— (\(DecimalText.fixed($0, 2)))" } ?? "—" }
        guard let published else { return ours.formatted() }
        let difference = ours.mean - published
        return ours.formatted() + " (\(DecimalText.fixed(published, 2))\(shortened ? shortenedMark : ""), "
            + "\(difference < 0 ? "−" : "+")\(DecimalText.fixed(abs(difference), 2)))"
    }

    static let shortenedMark = "†"
    static let shortenedNote = "\(shortenedMark): published for the protocol's full schedule; the runs in this cell are shorter "
        + "(fewer epochs, or a shorter stage 2), so the difference measures the shorter schedule, not a gap in reproduction"

    /// Whether any of `runs` ran a shorter schedule than the protocol of its setting.
    static func isShortened(_ runs: [TrainResult]) -> Bool {
        runs.contains { $0.condition.isShortened(dataset: $0.setting.dataset) }
    }

    /// The published main-table entry a method is compared with: `bce3s+stage2` (a run with
    /// stage 2, as the train step labels it) with the paper's BCE3S, which includes stage 2.
    static func publishedName(_ method: String) -> String {
        method.hasSuffix("+stage2") ? String(method.dropLast("+stage2".count)) : method
    }

    /// Methods in first-seen order of a fixed preference (the paper's order), then alphabetical.
    static func orderedMethods(_ methods: Set<String>) -> [String] {
        let preferred = ["ce", "focal", "ldam_drw", "balanced_softmax", "glmc_maxnorm", "ce_joint", "ce3s", "bce", "bce_joint",
                         "bce_joint_contrastive", "bce_joint_uniform", "bce3s", "bce3s (before stage 2)", "bce3s+stage2"]
        return preferred.filter(methods.contains) + methods.subtracting(preferred).sorted()
    }

    /// One table row: a method's runs of one condition, labelled by the method (and, when the
    /// method has runs of several conditions, by what sets this one apart: `ce · bf16`).
    struct RowGroup<Run> {
        let label: String
        let method: String
        let runs: [Run]
    }

    /// `runs` as table rows, methods in `orderedMethods` order: runs of different conditions
    /// (epochs, recipe, backbone, subset, precision) are never averaged into one cell.
    static func rowGroups(_ runs: [TrainResult]) -> [RowGroup<TrainResult>] {
        rowGroups(runs, method: \.method, condition: \.conditionParts)
    }

    static func rowGroups<Run>(_ runs: [Run], method: (Run) -> String, condition: (Run) -> [String]) -> [RowGroup<Run>] {
        orderedMethods(Set(runs.map(method))).flatMap { name -> [RowGroup<Run>] in
            let mine = runs.filter { method($0) == name }
            let conditions = Set(mine.map(condition)).sorted { $0.lexicographicallyPrecedes($1) }
            return zip(conditions, ConditionVariant.names(conditions)).map { parts, variant in
                RowGroup(label: name + (variant.map { " · \($0)" } ?? ""), method: name, runs: mine.filter { condition($0) == parts })
            }
        }
    }

    /// One value of `runs` (a row's runs in one setting) per seed: runs sharing a seed count once.
    static func perSeed(_ runs: [TrainResult], _ value: KeyPath<TrainResult, Double?>) -> [Double?] {
        SeedReplicates.values(runs, seed: \.seed, value: { $0[keyPath: value] })
    }

    /// Methods × (dataset, imbalance factor): overall top-1.
    public func mainTable() -> String {
        let settings = Set(train.map(\.setting)).sorted()
        let rows = Self.rowGroups(train).map { row in
            [row.label] + settings.map { setting in
                let runs = row.runs.filter { $0.setting == setting }
                return Self.cell(SeedSummary(Self.perSeed(runs, \.top1)),
                                 PublishedNumbers.main[Self.publishedName(row.method)]?[setting]?.value, shortened: Self.isShortened(runs))
            }
        }
        let header = ["method"] + settings.map(\.description)
        return "Top-1 accuracy (%): ours, mean ± std over seeds (published, ours − published)\n\n"
            + MarkdownTable(header: header, rows: rows).rendered() + "\n" + footnote(sources: mainSources(settings), rows: rows)
    }

    /// Ablation variants × many / medium / few / all in `setting` (every method of the setting;
    /// titled an ablation only when an ablation variant is among them). The paper's ablation
    /// numbers (CIFAR-100-LT IF 100) stand beside ours only when `setting` is theirs.
    public func ablationTable(setting requested: Setting = PublishedNumbers.ablationSetting) -> String {
        // A pipeline run on generated data names the real setting; its runs are of the synthetic one.
        let setting = train.contains { $0.setting == requested } || !train.contains { $0.setting == requested.onSyntheticData }
            ? requested : requested.onSyntheticData
        let runs = train.filter { $0.setting == setting }
        let samePublishedSetting = setting == PublishedNumbers.ablationSetting
        let rows = Self.rowGroups(runs).map { row -> [String] in
            let mine = row.runs
            let published = samePublishedSetting ? PublishedNumbers.ablation[row.method] : nil
            let columns: [[Double?]] = [\TrainResult.many, \.medium, \.few, \.top1].map { Self.perSeed(mine, $0) }
            let shortened = Self.isShortened(mine)
            return [row.label] + columns.indices.map { Self.cell(SeedSummary(columns[$0]), published?[$0], shortened: shortened) }
        }
        let source = samePublishedSetting ? "published: \(PublishedNumbers.ablationSource)"
            : "published: none beside these runs; the paper's ablation is on \(PublishedNumbers.ablationSetting), not \(setting)"
        // Without an ablation variant (CE joint, BCE joint, …) the rows are the methods by shot group, not an ablation.
        let hasVariants = runs.contains { PublishedNumbers.ablation[$0.method] != nil && !$0.method.hasPrefix("bce3s") }
        return (hasVariants ? "Ablation" : "By shot group (no ablation variant among these runs)")
            + ", \(setting): top-1 (%) by shot group, ours"
            + (samePublishedSetting ? " (published, ours − published)" : " (mean ± std over seeds)") + "\n\n"
            + MarkdownTable(header: ["method", "many", "medium", "few", "all"], rows: rows).rendered() + "\n"
            + footnote(sources: [source], rows: rows)
    }

    /// Feature and classifier geometry per (setting, method), means over seeds. The paper's
    /// compactness and tail max-cos figures are quoted in a note, not beside a row: the summary they
    /// come from does not say which dataset, imbalance or split they were measured on.
    public func geometryTable() -> String {
        let methodRows = Self.rowGroups(geometry, method: \.method, condition: \.conditionParts)
        let groups = Set(geometry.map(\.setting)).sorted().flatMap { setting in
            methodRows.compactMap { row -> (Setting, String, [GeometryResult])? in
                let runs = row.runs.filter { $0.setting == setting }
                return runs.isEmpty ? nil : (setting, row.label, runs)
            }
        }
        let rows = groups.map { setting, label, runs -> [String] in
            let value = { (name: String, decimals: Int) -> String in
                SeedSummary(SeedReplicates.values(runs, seed: \.seed, value: { $0.metrics[name] })).map { DecimalText.fixed($0.mean, decimals) } ?? "—"
            }
            return [setting.description, label, value("compactness_mean", 1) + " ± " + value("compactness_std", 1),
                    value("separability_mean_cos", 3), value("separability_max_cos", 3), value("fisher_ratio", 2), value("nc1", 3),
                    value("classifier_max_cos_std_few", 3)]
        }
        let header = ["setting", "method", "compactness ×100", "mean cos", "max cos", "Fisher", "NC1", "tail max-cos std"]
        return "Geometry of test features (means over seeds)\n\n"
            + MarkdownTable(header: header, alignments: [.left, .left] + Array(repeating: .right, count: 6), rows: rows).rendered()
            + "\n" + footnote(sources: ["compactness: mean over classes of mean cos(f, μ_c) × 100 ± std over classes; "
                + "cosines between class means centred on their average; Fisher = tr(S_B)/tr(S_W); NC1 = tr(Σ_W Σ_B⁺)/K; "
                + "tail max-cos std: std over few-shot classes of max_{j≠k} cos(w_k, w_j)",
                PublishedNumbers.geometryNote])
    }

    private func mainSources(_ settings: [Setting]) -> [String] {
        var sources = Set<String>()
        for method in Set(train.map(\.method)) {
            for setting in settings {
                if let source = PublishedNumbers.main[Self.publishedName(method)]?[setting]?.source { sources.insert("\(method): \(source)") }
            }
        }
        return ["published: " + (sources.isEmpty ? "none for these settings" : sources.sorted().joined(separator: "; "))]
    }

    /// Recipe, epochs, subset policy, seeds and deviations of the runs in the tables; what the
    /// shortened-schedule mark means when a cell of `rows` carries it.
    func footnote(sources: [String], rows: [[String]] = []) -> String {
        let describe = { (values: [String?]) -> String in
            let distinct = Set(values.compactMap { $0 }).sorted()
            return distinct.isEmpty ? "not recorded" : distinct.joined(separator: ", ")
        }
        // Several recipes: which rows used which, so a recipe difference is not read as the method's.
        let byRecipe = Dictionary(grouping: train.filter { $0.recipe != nil }, by: { $0.recipe! })
        let recipes = byRecipe.count < 2 ? describe(train.map(\.recipe))
            : byRecipe.keys.sorted().map { "\($0) (\(Set(byRecipe[$0]!.map(\.method)).sorted().joined(separator: ", ")))" }.joined(separator: "; ")
        let seeds = Self.rowGroups(train).flatMap { row in Dictionary(grouping: row.runs, by: \.setting).values.map { Set($0.map(\.seed)).count } }
        var lines = [
            "recipe: \(recipes); model: \(describe(train.map(\.model))); "
                + "epochs: \(describe(train.map { $0.epochs.map(String.init) })); subset policy: \(describe(train.map(\.policy)))",
            "seeds per cell: \(Self.rangeText(seeds)); final-epoch model; std is the sample std over seeds",
        ]
        lines += sources
        if rows.joined().contains(where: { $0.contains(Self.shortenedMark) }) { lines.append(Self.shortenedNote) }
        lines += deviations.isEmpty ? ["deviations from the paper: none recorded"] : deviations.map { "deviation: \($0)" }
        return "Notes:\n\n" + lines.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n"
    }

    /// A count's range as the notes print it: "none", "1" when every cell has the same, "1–3".
    static func rangeText(_ counts: [Int]) -> String {
        guard let low = counts.min(), let high = counts.max() else { return "none" }
        return low == high ? "\(low)" : "\(low)–\(high)"
    }
}
