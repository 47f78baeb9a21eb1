/// The values of one side of a claim in one setting: runs with the metric, and runs without it.
struct ArmObservations {
    var runs: [(run: ClaimRun, value: Double)] = []
    var withoutMetric: [ClaimRun] = []
    var metricName = ""

    /// The first source of `arm` with the metric in `setting` wins; stage-1 sources read the stage-1
    /// model's metric (`ClaimMetric.storedName(stageOne:)`) and are skipped for metrics without one.
    init(_ arm: ClaimArm, _ metric: ClaimMetric, in setting: Setting, _ evidence: ClaimEvidence) {
        let pool = metric.isAccuracy ? evidence.runs : evidence.analyses
        for source in arm.sources {
            guard let name = metric.storedName(stageOne: source.stageOne) else { continue }
            let runs = pool.filter { $0.method == source.method && $0.setting == setting }
            let values = runs.compactMap { run in run.metrics[name].flatMap { $0.isFinite ? (run, $0) : nil } }
            if !values.isEmpty { self.runs = values; metricName = name; withoutMetric = []; return }
            withoutMetric += runs
            if metricName.isEmpty, !runs.isEmpty { metricName = name }
        }
    }

    var isEmpty: Bool { runs.isEmpty }
}
