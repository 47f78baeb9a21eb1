"""Writes the NumPy golden values for AnalysisTests/GeometryGoldenTests.swift.

Run from this folder: python3 make_geometry_fixture.py
An independent NumPy implementation of the definitions in METHOD.md section 6 (and the
doc comments of Sources/Analysis): it forms the d x d scatter matrices and uses
numpy.linalg.pinv, where the Swift code works through the K x K Gram matrix.
"""
import json
import numpy as np

rng = np.random.default_rng(20261127)
K, d = 6, 9
train_counts = np.array([150, 90, 40, 25, 12, 5])  # many, medium x3, few x2
sizes = [12, 9, 7, 6, 5, 4]                         # samples present in this feature set
centres = rng.normal(size=(K, d)) * 2.0 + 1.0
features = np.concatenate([centres[c] + rng.normal(size=(n, d)) for c, n in enumerate(sizes)]).astype(np.float32)
labels = np.concatenate([np.full(n, c) for c, n in enumerate(sizes)]).astype(np.int64)
weights = (rng.normal(size=(K, d)) * np.linspace(1.5, 0.5, K)[:, None]).astype(np.float32)

f = features.astype(np.float64)
w = weights.astype(np.float64)
mu = np.stack([f[labels == c].mean(0) for c in range(K)])
centred = mu - mu.mean(0)

def cos_matrix(a):
    u = a / np.linalg.norm(a, axis=1, keepdims=True)
    return u @ u.T

compact = np.array([100 * np.mean([x @ mu[c] / np.linalg.norm(x) / np.linalg.norm(mu[c]) for x in f[labels == c]])
                    for c in range(K)])
cm = cos_matrix(centred)
off = cm[~np.eye(K, dtype=bool)]
Sb = centred.T @ centred / K
Sw = sum(np.cov(f[labels == c].T, bias=True) for c in range(K)) / K
nc1 = np.trace(Sw @ np.linalg.pinv(Sb, rcond=1e-10, hermitian=True)) / K
iu = np.triu_indices(K, 1)
wn = np.linalg.norm(w, axis=1)
wc = cos_matrix(w)
wmax = np.where(np.eye(K, dtype=bool), -np.inf, wc).max(1)
few = train_counts < 20
expected = {
    "compactness": compact.tolist(),
    "compactness_mean": compact.mean(), "compactness_std": compact.std(),
    "separability_mean_cos": off.mean(), "separability_max_cos": off.max(),
    "fisher_ratio": np.trace(Sb) / np.trace(Sw),
    "nc1": nc1,
    "means_equinorm": np.linalg.norm(centred, axis=1).std() / np.linalg.norm(centred, axis=1).mean(),
    "means_equiangularity": cm[iu].std(),
    "means_max_angle_gap": np.abs(cm[iu] + 1 / (K - 1)).mean(),
    "classifier_norms": wn.tolist(),
    "classifier_max_cos": wmax.tolist(),
    "classifier_max_cos_std_few": wmax[few].std(),
    "classifier_norm_logcount_corr": np.corrcoef(wn, np.log(train_counts))[0, 1],
    "classifier_equiangularity": wc[iu].std(),
    "train_counts": train_counts.tolist(),
}
np.save("geometry_features.npy", features)
np.save("geometry_labels.npy", labels)
np.save("geometry_weights.npy", weights)
with open("geometry_expected.json", "w") as out:
    json.dump({k: (float(v) if isinstance(v, np.floating) else v) for k, v in expected.items()}, out, indent=1)
