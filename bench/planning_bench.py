#!/usr/bin/env python3
"""`make bench`, planning section: how the cost of loading and planning grows with the steps.

For N = 1,000, 10,000 and 100,000 steps, writes a 10-line pipeline file in a temporary
directory — a grid of N/2 `write` steps and a grid of N/2 `sum` steps, each `sum` taking one
`write` by exact name — and times `bce3s status` on it in a fresh process (parse, grid
expansion, validation, input matching, ordering, planning against an empty store). Prints, for
each N, the median over the repetitions of the child's CPU time (user + system, which a loaded
machine does not inflate the way it inflates wall time) and of its wall time, and the growth
factor of the CPU time from one N to the next: about 10 for linear cost, about 100 for quadratic. A run slower than `--timeout` seconds is reported
as such and stops the series (the earlier sizes are still printed).
"""
import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = [1_000, 10_000, 100_000]


def pipeline_yaml(steps: int) -> str:
    values = ", ".join(str(i) for i in range(steps // 2))
    texts = ", ".join(f'"{i}"' for i in range(steps // 2))
    return "\n".join([
        f"pipeline: plan{steps}",
        "steps:",
        "  - name: w-{text}",
        "    kind: write",
        f"    grid: {{text: [{texts}]}}",
        "  - name: s-{offset}",
        "    kind: sum",
        f"    grid: {{offset: [{values}]}}",
        '    inputs: {parts: "w-{offset}"}',
    ]) + "\n"


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(binary: str, args: list, cwd: Path, timeout: float):
    """(CPU seconds, wall seconds) of one run, or None past `timeout`."""
    cpu, start = child_cpu(), time.perf_counter()
    try:
        done = subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"planning bench: `bce3s {' '.join(args)}` failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr}")
    return child_cpu() - cpu, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=".build/release/bce3s", help="the bce3s binary")
    parser.add_argument("--repeat", type=int, default=3, help="timed repetitions per size")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run counts as too slow")
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES, help="numbers of steps")
    options = parser.parse_args()
    binary = str(Path(options.bin).resolve())
    previous = None
    with tempfile.TemporaryDirectory(prefix="bce3s-planning-bench-") as tmp:
        cwd = Path(tmp)
        for steps in options.sizes:
            name = f"plan{steps}.yaml"
            (cwd / name).write_text(pipeline_yaml(steps))
            runs = []
            for _ in range(options.repeat):
                seconds = timed(binary, ["status", name, "--results", "results"], cwd, options.timeout)
                if seconds is None:
                    print(f"planning: {steps} steps: slower than {options.timeout:g} s; stopping")
                    return
                runs.append(seconds)
            cpu = statistics.median(run[0] for run in runs)
            wall = statistics.median(run[1] for run in runs)
            growth = f", CPU x{cpu / previous[1]:.1f} for x{steps / previous[0]:g} steps" if previous else ""
            print(f"planning: {steps} steps: bce3s status median CPU {cpu:.3f} s, wall {wall:.3f} s over {len(runs)} runs "
                  f"({1e6 * cpu / steps:.0f} us CPU per step{growth})", flush=True)
            previous = (steps, cpu)


if __name__ == "__main__":
    main()
