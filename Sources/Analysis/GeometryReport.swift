/// Every geometry figure of one feature set (and optionally its classifier) as named
/// scalars, ready to be stored as metrics: overall and per shot group.
public struct GeometryReport {
    public let geometry: FeatureGeometry
    public let collapse: NeuralCollapse
    public let balance: ClassifierBalance?
    /// Shot group of each class, from the training class sizes.
    public let groups: [ShotGroup]
    /// `(name, value)` pairs in a fixed order; names are snake_case, shot-group ones end
    /// in `_many`, `_medium`, `_few` (groups without classes are left out).
    public let metrics: [(name: String, value: Double)]

    /// `trainingCounts[c]` is the number of training samples of class c (it decides the
    /// shot groups even when `features` are test features).
    public init(features: LabelledFeatures, trainingCounts: [Int], classifierWeights: [Float]? = nil,
                thresholds: ShotGroup.Thresholds = ShotGroup.Thresholds()) throws {
        guard trainingCounts.count == features.classCount else {
            throw LabelledFeatures.InputError(field: "training counts", expected: "\(features.classCount) class sizes",
                                              found: "\(trainingCounts.count)")
        }
        geometry = FeatureGeometry(features)
        collapse = NeuralCollapse(features, classifierWeights: classifierWeights)
        balance = try classifierWeights.map {
            try ClassifierBalance(weights: $0, classCount: features.classCount, trainingCounts: trainingCounts, thresholds: thresholds)
        }
        groups = trainingCounts.map { ShotGroup(trainingCount: $0, thresholds: thresholds) }

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
        let compactness = ShotGroup.summaries(of: geometry.compactness, trainingCounts: trainingCounts, thresholds: thresholds)
        let nearest = ShotGroup.summaries(of: geometry.nearestClassCosine, trainingCounts: trainingCounts, thresholds: thresholds)
        for group in ShotGroup.allCases {
            if let s = compactness[group] {
                out += [("compactness_mean_\(group.rawValue)", s.mean), ("compactness_std_\(group.rawValue)", s.std)]
            }
            if let s = nearest[group] { out.append(("nearest_class_cos_mean_\(group.rawValue)", s.mean)) }
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
