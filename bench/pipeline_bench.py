#!/usr/bin/env python3
"""`make bench`, pipeline section: the cost of the runner itself, without any engine work.

Builds a 50-step pipeline of primitive kinds in a temporary directory (40 `write` steps from a
grid, 10 `sum` steps each adding four of them), runs it once, then times in fresh processes:

- a fully cached rerun, `bce3s run` (goal: under 2 s),
- `bce3s status` (goal: under 1 s).

Prints the median and the maximum of each over the repetitions, and PASS or FAIL against the goal.
Exits non-zero only if a command fails (a missed goal is reported, not an error).
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WRITES, SUMS = 40, 10


def pipeline_yaml() -> str:
    texts = ", ".join(f'"{i}"' for i in range(WRITES))
    lines = ["pipeline: bench50", "steps:",
             "  - name: w-{text}", "    kind: write", f"    grid: {{text: [{texts}]}}"]
    per_sum = WRITES // SUMS
    for s in range(SUMS):
        parts = ", ".join(f"w-{i}" for i in range(s * per_sum, (s + 1) * per_sum))
        lines += [f"  - name: s-{s}", "    kind: sum", f"    inputs: {{parts: [{parts}]}}"]
    return "\n".join(lines) + "\n"


def timed(binary: str, args: list, cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"pipeline bench: `bce3s {' '.join(args)}` failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return elapsed


def report(what: str, seconds: list, goal: float) -> None:
    median, worst = statistics.median(seconds), max(seconds)
    verdict = "PASS" if median < goal else "FAIL"
    print(f"pipeline: {what}: median {median:.3f} s, max {worst:.3f} s over {len(seconds)} runs "
          f"(goal < {goal:g} s) {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=".build/release/bce3s", help="the bce3s binary")
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions of each command")
    options = parser.parse_args()
    binary = str(Path(options.bin).resolve())
    with tempfile.TemporaryDirectory(prefix="bce3s-pipeline-bench-") as tmp:
        cwd = Path(tmp)
        (cwd / "bench50.yaml").write_text(pipeline_yaml())
        first = timed(binary, ["run", "bench50.yaml", "--jobs", "2"], cwd)
        print(f"pipeline: first run of {WRITES + SUMS} steps (one worker process each, --jobs 2): {first:.2f} s")
        report(f"fully cached rerun of {WRITES + SUMS} steps",
               [timed(binary, ["run", "bench50.yaml"], cwd) for _ in range(options.repeat)], 2.0)
        report(f"status of {WRITES + SUMS} steps",
               [timed(binary, ["status", "bench50.yaml"], cwd) for _ in range(options.repeat)], 1.0)


if __name__ == "__main__":
    main()
