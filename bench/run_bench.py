#!/usr/bin/env python3
"""`make bench`: our engine beside PyTorch 2.x CPU in the same invocation, plus optional sections.

Engine section: `bce3s bench --model resnet32 --batch B --steps S --precision P --json` and, when
torch is importable, `torch_resnet_bench.py` (the same LDAM-DRW ResNet-32 — or with `--model
resnet34` ResNet-34-CIFAR — channels-last, same thread count; bf16 is PyTorch's CPU autocast), for
P in fp32 and bf16, run alternately, each repetition in a fresh child process. Printed: the median
over repetitions of each side's training and inference images/s, the ratio to PyTorch fp32, the
convolutions' GFLOP/s and their share of the machine's fp32 and bf16 peaks (measured by
bench/peak_flops.c), and the peak resident memory (ru_maxrss) of each side's child processes.
`--hog` runs it all beside a niced busy loop, as on a shared machine.

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


# Convolution layers of each model as (input side, in channels, out channels, kernel, stride).
def conv_layers(model):
    if model in ("resnet32", "resnet32-glmc"):
        width = 64 if model == "resnet32-glmc" else 16
        stages, blocks, stem, projection = [width, 2 * width, 4 * width], [5, 5, 5], width, False
    else:  # resnet34: ResNet-34-CIFAR (torchvision blocks, 1×1 projection shortcuts)
        stages, blocks, stem, projection = [64, 128, 256, 512], [3, 4, 6, 3], 64, True
    layers, side, channels = [(32, 3, stem, 3, 1)], 32, stem
    for s, (width, count) in enumerate(zip(stages, blocks)):
        for b in range(count):
            stride = 2 if b == 0 and s > 0 else 1
            layers.append((side, channels, width, 3, stride))
            if projection and (stride != 1 or channels != width):
                layers.append((side, channels, width, 1, stride))
            side //= stride
            layers.append((side, width, width, 3, 1))
            channels = width
    return layers


def convolution_gflop_per_image(model):
    """(inference, training) GFLOP per image of the convolutions, 2 flops per multiply-add.

    Training counts forward, backward-data and backward-weights, except the stem's backward-data
    (the images need no gradient). Convolutions are > 98 % of either network's arithmetic.
    """
    macs = []
    for side, cin, cout, k, stride in conv_layers(model):
        out = (side + 2 * (k // 2) - k) // stride + 1
        macs.append(out * out * cin * cout * k * k)
    forward = 2 * sum(macs) / 1e9
    return forward, 3 * forward - 2 * macs[0] / 1e9


def measure_peaks(threads):
    """The fp32 FMA and bf16 dot-product peaks of `threads` cores (bench/peak_flops.c), or None."""
    with tempfile.TemporaryDirectory() as folder:
        binary = Path(folder) / "peak_flops"
        build = subprocess.run(["gcc", "-O2", "-mavx512f", "-mavx512bf16", "-fopenmp", str(BENCH_DIR / "peak_flops.c"),
                                "-o", str(binary)], capture_output=True, text=True)
        if build.returncode != 0:
            print(f"skipped: peak measurement (gcc could not build bench/peak_flops.c: {build.stderr.strip()[-200:]})")
            return None
        report, _ = run_json([str(binary)], dict(os.environ, OMP_NUM_THREADS=str(threads)))
        return report


def start_hog(nice):
    """A busy loop at `nice` on one core, as another user's job on a shared machine."""
    return subprocess.Popen(["nice", "-n", str(nice), sys.executable, "-c", "while True: pass"])


def engine_section(args):
    """Alternate the sides `args.repeats` times; print medians, ratios to PyTorch fp32, GFLOP/s,
    the share of the measured peaks and peak memory."""
    ours = [args.bin, "bench", "--model", args.model, "--batch", str(args.batch),
            "--steps", str(args.steps), "--threads", str(args.threads), "--json"]
    torch_side = [sys.executable, str(BENCH_DIR / "torch_resnet_bench.py"), "--model", args.model,
                  "--batch", str(args.batch), "--steps", str(args.steps), "--threads", str(args.threads)]
    sides = {f"ours {p}": [*ours, "--precision", p] for p in args.precisions}
    if args.no_torch:
        print("skipped: PyTorch side (--no-torch)")
    elif not torch_available():
        print("skipped: PyTorch side (torch is not importable)")
    else:
        sides.update({f"pytorch {p}": [*torch_side, "--precision", p] for p in args.precisions})
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    hog = start_hog(args.hog_nice) if args.hog else None
    if hog:
        print(f"a busy loop at nice {args.hog_nice} runs beside every repetition (pid {hog.pid})")
    results = {name: {"train": [], "infer": [], "peak_mib": [], "last": None} for name in sides}
    try:
        for repetition in range(args.repeats):
            for name, argv in sides.items():
                report, peak = run_json(argv, env)
                results[name]["train"].append(float(report["train_images_per_second"]))
                results[name]["infer"].append(float(report["infer_images_per_second"]))
                results[name]["peak_mib"].append(peak)
                results[name]["last"] = report
                print(f"  rep {repetition + 1}/{args.repeats} {name:13s} train {report['train_images_per_second']:8.1f} "
                      f"infer {report['infer_images_per_second']:8.1f} images/s, peak RSS {peak:7.1f} MiB", flush=True)
    finally:
        if hog:
            hog.kill()
            hog.wait()

    infer_gflop, train_gflop = convolution_gflop_per_image(args.model)
    peaks = None if args.no_peaks else measure_peaks(args.threads)
    print(f"\n{args.model}, batch {args.batch}, {args.steps} timed steps, {args.threads} threads, "
          f"medians over {args.repeats} alternating repetitions{' beside a busy loop' if hog else ''}")
    if peaks:
        print(f"  measured peak of {peaks['threads']} cores: fp32 FMA {peaks['fp32_gflops']:.0f} GFLOP/s, "
              f"bf16 dot product {peaks['bf16_gflops']:.0f} GFLOP/s (bench/peak_flops.c)")
    summary = {"conv_gflop_per_image": {"inference": infer_gflop, "training": train_gflop}, "peaks": peaks}
    baseline = "pytorch fp32" if "pytorch fp32" in results else None
    for name, r in results.items():
        train, infer = statistics.median(r["train"]), statistics.median(r["infer"])
        entry = {"train_images_per_second": train, "infer_images_per_second": infer, "peak_rss_mib": max(r["peak_mib"]),
                 "train_gflops": train * train_gflop, "infer_gflops": infer * infer_gflop}
        print(f"  {name:13s} training  {describe(r['train'], 'images/s')}, {entry['train_gflops']:.0f} GFLOP/s")
        print(f"  {name:13s} inference {describe(r['infer'], 'images/s')}, {entry['infer_gflops']:.0f} GFLOP/s")
        if peaks:
            for kind in ("fp32", "bf16"):
                entry[f"train_share_of_{kind}_peak"] = entry["train_gflops"] / peaks[f"{kind}_gflops"]
            print(f"  {name:13s} training at {100 * entry['train_share_of_fp32_peak']:.0f} % of the fp32 peak, "
                  f"{100 * entry['train_share_of_bf16_peak']:.0f} % of the bf16 peak")
        print(f"  {name:13s} peak RSS  {entry['peak_rss_mib']:9.1f} MiB")
        summary[name] = entry
    if baseline:
        base = summary[baseline]
        for name in results:
            if name == baseline:
                continue
            ratio_train = summary[name]["train_images_per_second"] / base["train_images_per_second"]
            ratio_infer = summary[name]["infer_images_per_second"] / base["infer_images_per_second"]
            summary[name].update(ratio_train=ratio_train, ratio_infer=ratio_infer)
            print(f"  ratio {name} / {baseline}: training {ratio_train:.2f}x, inference {ratio_infer:.2f}x")
    if args.profile:
        profiled = {name: argv for name, argv in sides.items()}
        summary["train_profile"] = profile_section(profiled, env)
    return summary


def profile_section(sides, env):
    """One more run of each side with `--profile`: the per-op split of a training step.

    Profiling costs time of its own, so these runs are not part of the medians above.
    """
    split = {}
    for name, argv in sides.items():
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
    parser.add_argument("--model", choices=["resnet32", "resnet32-glmc", "resnet34"], default="resnet32")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=30, help="timed steps per repetition")
    parser.add_argument("--repeats", type=int, default=3, help="repetitions per side, alternating")
    parser.add_argument("--threads", type=int, default=2, help="thread count for both sides")
    parser.add_argument("--no-torch", action="store_true", help="run our side only")
    parser.add_argument("--precisions", nargs="+", choices=["fp32", "bf16"], default=["fp32", "bf16"],
                        help="precisions of both sides (PyTorch bf16 is its CPU autocast); ratios are to PyTorch fp32")
    parser.add_argument("--hog", action="store_true",
                        help="run every repetition beside a busy loop (a shared machine); --hog-nice sets its nice value")
    parser.add_argument("--hog-nice", type=int, default=19)
    parser.add_argument("--no-peaks", action="store_true", help="skip measuring the fp32/bf16 peaks (bench/peak_flops.c)")
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
