#!/usr/bin/env python3
"""The per-step overhead of `bce3s run --executor slurm` over local worker processes.

Runs a chain of N primitive steps (a `write`, then N-1 `sum` steps each reading the previous one,
so no two run at once and every step's latency adds up) in a fresh results directory, once with
the local executor and once on Slurm, and prints the wall time of each and
(slurm - local) / N: what submitting, scheduling, starting and noticing the end of one job costs.
Repeats the pair and reports the median. Needs a reachable Slurm cluster (SLURM_CONF), e.g. the
single-node one of `scripts/slurm-local.sh start`.
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def chain_yaml(steps: int) -> str:
    lines = ["pipeline: chain", "steps:", '  - {name: s-0, kind: write, params: {text: "1"}}']
    # Each sum adds its own offset: equal outputs would give equal keys, and the chain would be reused.
    lines += [f"  - {{name: s-{i}, kind: sum, params: {{offset: {i}}}, inputs: {{x: s-{i - 1}}}}}" for i in range(1, steps)]
    return "\n".join(lines) + "\n"


def timed_run(binary: str, cwd: Path, results: str, extra: list) -> float:
    start = time.perf_counter()
    done = subprocess.run([binary, "run", "chain.yaml", "--results", results, *extra], cwd=cwd,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0 or " ran, 0 reused" not in done.stdout:
        sys.exit(f"slurm bench: run failed or reused steps ({done.returncode}):\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=".build/release/bce3s", help="the bce3s binary")
    parser.add_argument("--steps", type=int, default=10, help="steps in the chain")
    parser.add_argument("--repeat", type=int, default=3, help="local/slurm pairs")
    parser.add_argument("--poll-every", default="10", help="bce3s run --poll-every (default: bce3s's default)")
    options = parser.parse_args()
    binary = str(Path(options.bin).resolve())
    local, slurm = [], []
    with tempfile.TemporaryDirectory(prefix="bce3s-slurm-bench-") as tmp:
        cwd = Path(tmp)
        (cwd / "chain.yaml").write_text(chain_yaml(options.steps))
        for round_ in range(options.repeat):
            local.append(timed_run(binary, cwd, f"local-{round_}", []))
            slurm.append(timed_run(binary, cwd, f"slurm-{round_}",
                                   ["--executor", "slurm", "--poll-every", options.poll_every]))
    per_step = [(s - l) / options.steps for l, s in zip(local, slurm)]
    print(f"slurm: chain of {options.steps} steps, median of {options.repeat}: local {statistics.median(local):.2f} s, "
          f"slurm (--poll-every {options.poll_every}) {statistics.median(slurm):.2f} s; "
          f"overhead per step {statistics.median(per_step):.2f} s "
          f"(min {min(per_step):.2f}, max {max(per_step):.2f})")


if __name__ == "__main__":
    main()
