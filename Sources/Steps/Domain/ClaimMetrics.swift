import Pipeline
import Reports

/// The claims ledger as `claim_…` metrics of the table step (`ClaimLedger.storedValues`), with
/// each run's position taken from the step's `runs` and `analyses` inputs.
enum ClaimMetrics {
    static func metrics(_ ledger: ClaimLedger, inputs: [String: [StepInput]]) -> [Metric] {
        let positions = { (input: String) in
            Dictionary((inputs[input] ?? []).enumerated().map { ($0.element.key, $0.offset) }) { a, _ in a }
        }
        return ledger.storedValues(runPositions: positions("runs"), analysisPositions: positions("analyses"))
            .map { Metric($0.name, $0.value, split: $0.label) }
    }
}
