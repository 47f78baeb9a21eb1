#!/usr/bin/env python3
"""Per-epoch loss terms and final top-1 of our BCE3S runs beside `torch_reference_train.py`'s.

Inputs: `--ours` the `result.json` of each `bce3s train --out DIR` run (its `history`: per epoch
`loss`, the weighted total, and `terms`, the unweighted joint / contrastive / uniform means; its
`evaluation.top1` as a fraction), `--torch` the JSON each `torch_reference_train.py --method
bce3s` run printed (same `history` keys, `top1` in percent). Runs of one side are pooled over
seeds: every cell is mean ± sd (n). Prints a Markdown table per quantity, epochs as rows, plus
the final top-1 of every run and the difference of the means, with the pooled sd beside it so a
gap can be read against seed noise. `--json-out FILE` writes the same numbers as JSON.
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np

QUANTITIES = ["loss", "joint", "contrastive", "uniform"]


def load(path, side):
    """(per-epoch {quantity: value} for stage 1, top-1 %, stage-1 top-1 % or None) of one run."""
    try:
        data = json.loads(Path(path).read_text())
        history = data["history"]
        top1 = 100 * data["evaluation"]["top1"] if side == "ours" else data["top1"]
        stage1 = data.get("stage1")
        stage1_top1 = None if stage1 is None else (100 * stage1["top1"] if side == "ours" else stage1["top1"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        sys.exit(f"{path}: expected the {'result.json of bce3s train' if side == 'ours' else 'JSON printed by torch_reference_train.py'} "
                 f"with a `history` list and a top-1 ({type(error).__name__}: {error})")
    epochs = [{"loss": record["loss"], **record.get("terms", {})} for record in history if record.get("stage", 1) == 1]
    return epochs, top1, stage1_top1


def summary(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"mean": float(np.mean(values)), "sd": float(np.std(values, ddof=1)) if len(values) > 1 else 0.0, "n": len(values)}


def cell(s):
    return "–" if s is None else f"{s['mean']:.4f} ± {s['sd']:.4f} ({s['n']})"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ours", nargs="+", required=True, metavar="RESULT_JSON")
    parser.add_argument("--torch", nargs="+", required=True, metavar="TORCH_JSON")
    parser.add_argument("--json-out", metavar="FILE")
    args = parser.parse_args()
    runs = {"ours": [load(p, "ours") for p in args.ours], "torch": [load(p, "torch") for p in args.torch]}
    epochs = max(len(r[0]) for side in runs.values() for r in side)
    table = {}
    for quantity in QUANTITIES:
        table[quantity] = [{side: summary([r[0][e].get(quantity) for r in side_runs if e < len(r[0])])
                            for side, side_runs in runs.items()} for e in range(epochs)]
        print(f"\n### {quantity}\n\n| epoch | ours | PyTorch |\n|---|---|---|")
        for e, row in enumerate(table[quantity]):
            print(f"| {e + 1} | {cell(row['ours'])} | {cell(row['torch'])} |")
    top1 = {side: summary([r[1] for r in side_runs]) for side, side_runs in runs.items()}
    stage1 = {side: summary([r[2] for r in side_runs]) for side, side_runs in runs.items()}
    print("\n### final top-1 (%)\n")
    for side, side_runs in runs.items():
        print(f"- {side}: " + ", ".join(f"{r[1]:.2f}" for r in side_runs) + f"; mean {cell(top1[side])}")
        if stage1[side] is not None:
            print(f"  stage 1 before stage 2: {cell(stage1[side])}")
    pooled = np.sqrt((top1["ours"]["sd"] ** 2 + top1["torch"]["sd"] ** 2) / 2)
    print(f"- difference ours − PyTorch: {top1['ours']['mean'] - top1['torch']['mean']:+.2f} (pooled seed sd {pooled:.2f})")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"per_epoch": table, "top1": top1, "stage1_top1": stage1}, indent=1) + "\n")


if __name__ == "__main__":
    main()
