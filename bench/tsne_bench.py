"""t-SNE benchmark: our Barnes-Hut t-SNE (`bce3s analyse tsne`) beside openTSNE's, on the
same 10,000 x 64 points (a Gaussian mixture of 10 classes, written here as .npy).

Both run the same schedule: early exaggeration 12 for 250 iterations at momentum 0.5,
then 750 iterations at momentum 0.8, learning rate "auto" (N / exaggeration), theta 0.5,
PCA initialisation, 2 threads. Prints one JSON line per method and the ratios; the goals
are KL within 5 % of openTSNE's and time at most 1.5x openTSNE's Barnes-Hut.

Ours reduces the points to 50 principal components before the k-NN graph; openTSNE is
given the same reduction (NumPy PCA of the same points), so that both optimise the same
P. Besides each method's own final KL (Barnes-Hut normaliser), both embeddings are scored
under openTSNE's P with the exact normaliser Z, so the comparison does not hinge on
either side's approximation.

usage: python3 bench/tsne_bench.py --bin .build/release/bce3s [--n 10000]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np


def mixture(n, d, classes, seed):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=4.0, size=(classes, d))
    labels = rng.integers(0, classes, size=n)
    return (centres[labels] + rng.normal(size=(n, d))).astype(np.float32), labels


def exact_kl(P, Y):
    """KL(P || Q) with Q from the exact Student-t normaliser, computed in row blocks."""
    Y = Y.astype(np.float64)
    sq = (Y ** 2).sum(1)
    Z = 0.0
    for s in range(0, len(Y), 1000):
        d2 = sq[s:s + 1000, None] + sq[None, :] - 2 * Y[s:s + 1000] @ Y.T
        w = 1 / (1 + np.maximum(d2, 0))
        w[np.arange(len(w)), np.arange(s, s + len(w))] = 0
        Z += w.sum()
    P = P.tocoo()
    d2 = ((Y[P.row] - Y[P.col]) ** 2).sum(1)
    q = 1 / (1 + d2) / Z
    return float((P.data * np.log(P.data / q)).sum())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/release/bce3s")
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    X, _ = mixture(args.n, 64, 10, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        x_path, y_path = os.path.join(tmp, "X.npy"), os.path.join(tmp, "Y.npy")
        np.save(x_path, X)
        out = subprocess.run([args.bin, "analyse", "tsne", "--in", x_path, "--out", y_path,
                              "--seed", str(args.seed), "--json"], check=True, capture_output=True, text=True)
        ours = json.loads(out.stdout.strip().splitlines()[-1])
        Y_ours = np.load(y_path)

    try:
        import openTSNE
        from openTSNE import TSNE
    except ImportError:
        print(json.dumps({"method": "bce3s", **ours}))
        print("openTSNE is not installed (pip install openTSNE); no comparison", file=sys.stderr)
        return

    centred = X - X.mean(0)
    _, _, components = np.linalg.svd(centred.astype(np.float64), full_matrices=False)
    X50 = (centred @ components[:50].T).astype(np.float32)
    start = time.time()
    embedding = TSNE(negative_gradient_method="bh", n_jobs=2, random_state=args.seed, n_iter=750,
                     initial_momentum=0.5, final_momentum=0.8, neighbors="exact").fit(X50)
    theirs = {"seconds": round(time.time() - start, 3), "kl_divergence": float(embedding.kl_divergence)}
    P = embedding.affinities.P
    ours["kl_exact_under_openTSNE_P"] = exact_kl(P, Y_ours)
    theirs["kl_exact_under_openTSNE_P"] = exact_kl(P, np.asarray(embedding))
    print(json.dumps({"method": "bce3s", **ours}))
    print(json.dumps({"method": f"openTSNE {openTSNE.__version__} bh", **theirs}))
    print(json.dumps({
        "time_ratio": round(ours["seconds"] / theirs["seconds"], 3), "time_goal": "<= 1.5",
        "kl_ratio": round(ours["kl_divergence"] / theirs["kl_divergence"], 4),
        "kl_ratio_same_P": round(ours["kl_exact_under_openTSNE_P"] / theirs["kl_exact_under_openTSNE_P"], 4),
        "kl_goal": "within 5 %"}))


if __name__ == "__main__":
    main()
