#!/usr/bin/env python3
"""`make bench`: our engine beside PyTorch 2.x CPU in the same invocation, plus optional sections.

Engine section: `bce3s bench --model resnet32 --batch B --steps S --json` and, when torch is
importable, `torch_resnet_bench.py` (the same LDAM-DRW ResNet-32 — or with `--model resnet34`
ResNet-34-CIFAR — channels-last, fp32, same thread count) run alternately, each repetition in a fresh child process. Printed: the median
over repetitions of each side's training and inference images/s, the ratio ours/PyTorch, and
the peak resident memory (ru_maxrss) of each side's child processes.

Optional sections (the data loader, …) run one `bce3s` command each that prints a
JSON object; a command the binary does not have yet is reported as "skipped: …", not an error.
Exit status is non-zero only when a command that exists fails or prints no JSON.
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent

# (title, bce3s arguments) of further `bce3s … --json` benchmarks, each printing one JSON object.
# (The pipeline and t-SNE benchmarks are scripts of their own: bench/pipeline_bench.py, bench/tsne_bench.py.)
OPTIONAL_SECTIONS = [
    ("data loader", ["data", "bench", "--json"]),
]

# ArgumentParser's words for a subcommand or option the binary does not know.
UNKNOWN_COMMAND_MARKERS = ("Unexpected argument", "Unknown option", "unknown subcommand")


class Skipped(Exception):
    """The benchmark cannot run here (binary or subcommand missing); not a failure."""


def run_child(argv, env=None):
    """Run `argv`, return (stdout, stderr, exit status, peak resident memory in MiB).

    The memory is the child's own ru_maxrss, read with wait4 so that nothing else is counted.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            process = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        except FileNotFoundError as error:
            raise Skipped(f"{argv[0]} not found ({error.strerror})") from None
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                process.returncode, usage.ru_maxrss / 1024.0)


def run_json(argv, env=None):
    """Run a benchmark command that prints one JSON object; return (object, peak MiB)."""
    stdout, stderr, status, peak_mib = run_child(argv, env)
    command = " ".join(shlex.quote(a) for a in argv)
    if status != 0:
        if any(marker in stderr for marker in UNKNOWN_COMMAND_MARKERS):
            raise Skipped(f"`{command}` is not available in this build")
        tail = "\n    ".join(stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"`{command}` exited with status {status}:\n    {tail}")
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line), peak_mib
            except json.JSONDecodeError:
                break
    raise RuntimeError(f"`{command}` printed no JSON object on its last line; stdout was:\n{stdout[-500:]}")


def torch_available():
    return subprocess.run([sys.executable, "-c", "import torch"], capture_output=True).returncode == 0


def describe(values, unit):
    """'median (min–max, n=k) unit' for a list of repetitions."""
    if not values:
        return "n/a"
    return f"{statistics.median(values):9.1f} {unit} (min {min(values):.1f}, max {max(values):.1f}, n={len(values)})"


def engine_section(args):
    """Alternate ours and PyTorch `args.repeats` times; print medians, ratios and peak memory."""
    ours_argv = [args.bin, "bench", "--model", args.model, "--batch", str(args.batch),
                 "--steps", str(args.steps), "--threads", str(args.threads), "--json"]
    torch_argv = [sys.executable, str(BENCH_DIR / "torch_resnet_bench.py"), "--model", args.model,
                  "--batch", str(args.batch), "--steps", str(args.steps), "--threads", str(args.threads)]
    sides = {"ours": ours_argv}
    if args.no_torch:
        print("skipped: PyTorch side (--no-torch)")
    elif not torch_available():
        print("skipped: PyTorch side (torch is not importable)")
    else:
        sides["pytorch"] = torch_argv
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    results = {name: {"train": [], "infer": [], "peak_mib": [], "last": None} for name in sides}
    for repetition in range(args.repeats):
        for name, argv in sides.items():
            report, peak = run_json(argv, env)
            results[name]["train"].append(float(report["train_images_per_second"]))
            results[name]["infer"].append(float(report["infer_images_per_second"]))
            results[name]["peak_mib"].append(peak)
            results[name]["last"] = report
            print(f"  rep {repetition + 1}/{args.repeats} {name:8s} train {report['train_images_per_second']:8.1f} "
                  f"infer {report['infer_images_per_second']:8.1f} images/s, peak RSS {peak:7.1f} MiB", flush=True)

    print(f"\n{args.model}, batch {args.batch}, {args.steps} timed steps, {args.threads} threads, "
          f"medians over {args.repeats} repetitions")
    for name, r in results.items():
        print(f"  {name:8s} training  {describe(r['train'], 'images/s')}")
        print(f"  {name:8s} inference {describe(r['infer'], 'images/s')}")
        print(f"  {name:8s} peak RSS  {max(r['peak_mib']):9.1f} MiB")
    summary = {name: {"train_images_per_second": statistics.median(r["train"]),
                      "infer_images_per_second": statistics.median(r["infer"]),
                      "peak_rss_mib": max(r["peak_mib"])} for name, r in results.items()}
    if "pytorch" in results:
        ours, theirs = summary["ours"], summary["pytorch"]
        summary["ratio_train"] = ours["train_images_per_second"] / theirs["train_images_per_second"]
        summary["ratio_infer"] = ours["infer_images_per_second"] / theirs["infer_images_per_second"]
        print(f"  ratio ours/PyTorch: training {summary['ratio_train']:.2f}x, inference {summary['ratio_infer']:.2f}x")
    if args.profile:
        summary["train_profile"] = profile_section(ours_argv, sides.get("pytorch"), env)
    extra = {k: v for k, v in results["ours"]["last"].items()
             if k not in ("train_images_per_second", "infer_images_per_second")}
    if extra:
        print("  ours, other fields of the last run: " + json.dumps(extra, sort_keys=True))
    return summary


def profile_section(ours_argv, torch_argv, env):
    """One more run of each side with `--profile`: the per-op split of a training step.

    Profiling costs time of its own, so these runs are not part of the medians above.
    """
    split = {}
    for name, argv in (("ours", ours_argv), ("pytorch", torch_argv)):
        if argv is None:
            continue
        report, _ = run_json([*argv, "--profile"], env)
        split[name] = report["train_profile"]
        step_ms = sum(line["ms_per_step"] for line in split[name])
        print(f"\n  {name}: where a training step's {step_ms:.0f} ms go (one profiled run)")
        for line in split[name]:
            print(f"    {line['ms_per_step']:8.2f} ms {100 * line['share']:5.1f} %  {line['calls_per_step']:6.1f} calls  {line['op']}")
    return split


def optional_section(title, bce3s_args, args):
    """Run one optional `bce3s …` benchmark and print its JSON fields."""
    report, peak = run_json([args.bin, *bce3s_args])
    print(f"\n{title} (`bce3s {' '.join(bce3s_args)}`), peak RSS {peak:.1f} MiB")
    for key, value in report.items():
        print(f"  {key}: {value:.6g}" if isinstance(value, float) else f"  {key}: {value}")
    return dict(report, peak_rss_mib=peak)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=".build/release/bce3s", help="the bce3s executable")
    parser.add_argument("--model", choices=["resnet32", "resnet34"], default="resnet32")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=30, help="timed steps per repetition")
    parser.add_argument("--repeats", type=int, default=3, help="repetitions per side, alternating")
    parser.add_argument("--threads", type=int, default=2, help="thread count for both sides")
    parser.add_argument("--no-torch", action="store_true", help="run our side only")
    parser.add_argument("--no-profile", dest="profile", action="store_false",
                        help="skip the profiled run that prints the per-op split of a training step")
    parser.add_argument("--only", choices=["engine", "optional"], help="run one kind of section")
    parser.add_argument("--json-out", help="also write every section's numbers to this JSON file")
    args = parser.parse_args()

    sections = []
    if args.only != "optional":
        sections.append(("engine", lambda: engine_section(args)))
    if args.only != "engine":
        sections += [(title, lambda t=title, a=argv: optional_section(t, a, args)) for title, argv in OPTIONAL_SECTIONS]

    print("load average before: %.2f %.2f %.2f (other processes on these cores slow both sides)" % os.getloadavg())
    summary, failures = {"load_average_before": os.getloadavg()[0]}, []
    for title, run in sections:
        try:
            summary[title] = run()
        except Skipped as reason:
            print(f"\nskipped: {title}: {reason}")
        except (RuntimeError, KeyError, ValueError) as error:
            failures.append(title)
            print(f"\nFAILED: {title}: {error}", file=sys.stderr)
    print("\nload average after: %.2f %.2f %.2f" % os.getloadavg())
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(summary, indent=2) + "\n")
    if failures:
        sys.exit(f"bench: {len(failures)} section(s) failed: {', '.join(failures)}")


if __name__ == "__main__":
    main()
