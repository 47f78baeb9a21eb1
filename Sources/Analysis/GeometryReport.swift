/// Every geometry figure of one feature set (and optionally its classifier) as named
/// scalars, ready to be stored as metrics: overall and per shot group.
public struct GeometryReport {
    public let geometry: FeatureGeometry
    public let collapse: NeuralCollapse
    public let balance: ClassifierBalance?
    /// Shot group of each class ("many", "medium", "few"), as given.
    public let groups: [String]
    /// `(name, value)` pairs in a fixed order; names are snake_case, per-group ones end in
    /// `_<group>` (e.g. `_few`; groups without classes are left out).
    public let metrics: [(name: String, value: Double)]

    /// `trainingCounts[c]` is the number of training samples of class c and `groups[c]` its
    /// shot group from those counts (e.g. `Datasets.ShotGroupRule`), also for test features;
    /// the "few" group is the tail.
    public init(features: LabelledFeatures, trainingCounts: [Int], groups: [String], classifierWeights: [Float]? = nil) throws {
        guard trainingCounts.count == features.classCount, groups.count == features.classCount else {
            throw LabelledFeatures.InputError(field: "training counts and groups", expected: "\(features.classCount) of each",
                                              found: "\(trainingCounts.count) counts and \(groups.count) groups")
        }
        geometry = FeatureGeometry(features)
        collapse = NeuralCollapse(features, classifierWeights: classifierWeights)
        balance = try classifierWeights.map {
            try ClassifierBalance(weights: $0, classCount: features.classCount, trainingCounts: trainingCounts,
                                  tailClasses: Set(groups.indices.filter { groups[$0] == "few" }))
        }
        self.groups = groups

        var out: [(String, Double)] = [
            ("compactness_mean", geometry.compactnessSummary.mean),
            ("compactness_std", geometry.compactnessSummary.std),
            ("separability_mean_cos", geometry.meanCosine),
            ("separability_max_cos", geometry.maxCosine),
            ("fisher_ratio", geometry.fisherRatio),
            ("nc1", collapse.nc1),
            ("means_equinorm", collapse.meanEquinorm),
            ("means_equiangularity", collapse.meanEquiangularity),
            ("means_max_angle_gap", collapse.meanMaxAngleGap),
        ]
        let compactness = groupSummaries(of: geometry.compactness, groups: groups)
        let nearest = groupSummaries(of: geometry.nearestClassCosine, groups: groups)
        for group in orderedGroupNames(groups) {
            if let s = compactness[group] { out += [("compactness_mean_\(group)", s.mean), ("compactness_std_\(group)", s.std)] }
            if let s = nearest[group] { out.append(("nearest_class_cos_mean_\(group)", s.mean)) }
        }
        if let balance, let equinorm = collapse.classifierEquinorm,
           let equiangularity = collapse.classifierEquiangularity, let gap = collapse.classifierMaxAngleGap {
            out += [
                ("classifier_norm_mean", balance.normSummary.mean),
                ("classifier_norm_std", balance.normSummary.std),
                ("classifier_max_cos_mean", balance.maxCosineSummary.mean),
                ("classifier_max_cos_std", balance.maxCosineSummary.std),
                ("classifier_equinorm", equinorm),
                ("classifier_equiangularity", equiangularity),
                ("classifier_max_angle_gap", gap),
            ]
            if let r = balance.normLogCountCorrelation { out.append(("classifier_norm_logcount_corr", r)) }
            if let tail = balance.tailNormSummary { out.append(("classifier_norm_std_few", tail.std)) }
            if let tail = balance.tailMaxCosineSummary { out.append(("classifier_max_cos_std_few", tail.std)) }
        }
        metrics = out
    }
}
