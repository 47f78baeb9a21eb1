extension ClaimLedger {
    /// One number of a verdict as the table step records it: metric `name` with split `label`.
    public struct StoredValue: Equatable {
        public let name: String
        public let value: Double
        public let label: String
    }

    /// The verdicts in the encoding the store's `claim_result` view reads (see
    /// `StoreSchema.createClaimResultView`): each run a verdict rests on as its position in the
    /// table step's `runs` input (or, for analyses, its `analyses` input), given by cache key.
    public func storedValues(runPositions: [String: Int], analysisPositions: [String: Int]) -> [StoredValue] {
        var out: [StoredValue] = []
        for (ordinal, verdict) in verdicts.enumerated() {
            func add(_ name: String, _ value: Double?) {
                if let value { out.append(StoredValue(name: name, value: value, label: verdict.label)) }
            }
            add("claim_order", Double(ordinal))
            add("claim_verdict", Double(verdict.verdict.code))
            add("claim_effect", verdict.effect)
            add("claim_low", verdict.interval?.low)
            add("claim_high", verdict.interval?.high)
            add("claim_leaning", verdict.leaning.map { Double($0.code) })
            add("claim_n_a", Double(verdict.seedsA))
            if case .comparison = verdict.claim.test { add("claim_n_b", Double(verdict.seedsB)) }
            add("claim_published", verdict.published)
            add("claim_shortened", verdict.shortened ? 1 : 0)
            for (side, runs) in [("a", verdict.runsA), ("b", verdict.runsB)] {
                for run in runs {
                    if let position = runPositions[run.key] {
                        add("claim_run_\(side)", Double(position))
                    } else if let position = analysisPositions[run.key] {
                        add("claim_analysis_\(side)", Double(position))
                    }
                }
            }
        }
        return out
    }
}
