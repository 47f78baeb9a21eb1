/// Summaries of a per-class quantity within each group of classes (e.g. the shot groups
/// "many", "medium", "few" that `Datasets.ShotGroupRule` assigns from training counts —
/// the rule lives there; Analysis only summarises).
public func groupSummaries(of perClass: [Double], groups: [String]) -> [String: MeanStd] {
    precondition(perClass.count == groups.count, "one group name per class")
    return Dictionary(grouping: perClass.indices, by: { groups[$0] }).mapValues { MeanStd($0.map { perClass[$0] }) }
}

/// Group names in the usual order: many, medium, few, then any others alphabetically.
func orderedGroupNames(_ groups: [String]) -> [String] {
    let usual = ["many", "medium", "few"]
    return usual.filter(groups.contains) + Set(groups).subtracting(usual).sorted()
}
