import Tensor

/// Which loss a BCE3S term uses: the binary form of the paper, or softmax cross-entropy for
/// the "CE version" ablations (our reading; METHOD.md §3, "Ablation variants").
public enum TermForm: String, ListedChoice, Sendable {
    case bce, ce

    public static var choiceName: String { "term form" }
}

/// The uniform (classifier–classifier) term on S = s·Ŵ Ŵᵀ `[K, K]`:
/// - `.bce`: (1/K) Σ_k [ softplus(−S_kk) + Σ_{j≠k} softplus(S_kj) ] (no clamp, as the authors);
/// - `.ce`: (1/K) Σ_k −log softmax(S_k)_k, each class vector's own row as a K-way classification.
public func uniformLoss(classVectors w: Tensor, scale s: Float, form: TermForm) -> Tensor {
    let unit = w.l2NormalizedRows(eps: NormalizedHead.normEpsilon)
    let similarity = Tensor.matmul(unit, unit.transposed()) * s
    let own = Targets.labels(Array(0..<w.shape[0]))
    switch form {
    case .bce: return BinaryCrossEntropy(clamp: nil)(logits: similarity, targets: own)
    case .ce: return crossEntropy(logits: similarity, targets: own)
    }
}

/// The joint/contrastive loss in form `form` on `logits` with `targets` (soft allowed).
/// `classSet` restricts the BCE's sum (negative subsampling); the CE form always uses all classes.
func termLoss(_ form: TermForm, bce: BinaryCrossEntropy, logits: Tensor, targets: Targets,
              classSet: [Int]? = nil) -> Tensor {
    switch form {
    case .bce: return bce(logits: logits, targets: targets, classSet: classSet)
    case .ce: return crossEntropy(logits: logits, targets: targets)
    }
}
