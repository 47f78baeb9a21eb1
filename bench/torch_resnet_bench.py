"""PyTorch side of the engine benchmark: ResNet-32 (or ResNet-34-CIFAR), channels-last, fp32
(or, with `--precision bf16`, under CPU autocast to bfloat16: PyTorch's own mixed precision).

Mirrors `bce3s bench --model M --batch B --steps S --json`: one process, warm-up steps,
then S timed steps; prints one JSON object with the median images/s of
- training: forward + cross-entropy + backward + SGD step (lr 0.1, momentum 0.9, wd 2e-4);
- inference: forward in eval mode under no_grad.
`run_bench.py` runs this as a child process so its peak resident memory is measured alone.
With `--profile`, the training step runs S more times under `torch.profiler` and the JSON
gains `train_profile`: aten ops by self CPU time per step, the counterpart of
`bce3s bench --profile`.
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resnet_cifar_torch import MODELS, check_parameter_count  # noqa: E402


def median_images_per_second(step, batch, warmup, steps):
    """Run `warmup` untimed then `steps` timed calls of `step`; median throughput in images/s."""
    for _ in range(warmup):
        step()
    seconds = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - start)
    return batch / statistics.median(seconds)


def profile_training(step, steps, top=14):
    """Run `step` `steps` times under torch.profiler; the top ops by self CPU time per step, then `other`."""
    from torch.profiler import ProfilerActivity, profile

    start = time.perf_counter()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(steps):
            step()
    total = time.perf_counter() - start
    events = sorted(prof.key_averages(), key=lambda e: e.self_cpu_time_total, reverse=True)
    lines = [{"op": e.key, "ms_per_step": e.self_cpu_time_total / 1000 / steps,
              "calls_per_step": e.count / steps, "share": e.self_cpu_time_total / 1e6 / total}
             for e in events[:top]]
    covered = sum(line["ms_per_step"] for line in lines) / 1000 * steps
    lines.append({"op": f"other ({max(0, len(events) - top)} more ops, Python, profiler)",
                  "ms_per_step": max(0.0, total - covered) * 1000 / steps, "calls_per_step": 0,
                  "share": max(0.0, total - covered) / total})
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", choices=sorted(MODELS), default="resnet32")
    parser.add_argument("--classes", type=int, help="default: 100 for resnet34, else 10")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--precision", choices=["fp32", "bf16"], default="fp32",
                        help="bf16: forward under torch.autocast('cpu', torch.bfloat16), fp32 master weights")
    parser.add_argument("--profile", action="store_true", help="also profile the training step (per-op split)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    classes = args.classes or (100 if args.model == "resnet34" else 10)
    model = MODELS[args.model](num_classes=classes).to(memory_format=torch.channels_last)
    parameters = check_parameter_count(args.model, model, classes)
    images = torch.randn(args.batch, 3, 32, 32).to(memory_format=torch.channels_last)
    labels = torch.randint(0, classes, (args.batch,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=2e-4)

    autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.precision == "bf16")

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        with autocast:
            loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()

    def infer_step():
        with torch.no_grad(), autocast:
            model(images)

    model.train()
    train = median_images_per_second(train_step, args.batch, args.warmup, args.steps)
    train_profile = profile_training(train_step, args.steps) if args.profile else None
    model.eval()
    infer = median_images_per_second(infer_step, args.batch, args.warmup, args.steps)
    report = {
        "framework": f"pytorch {torch.__version__}",
        "model": args.model,
        "classes": classes,
        "parameters": parameters,
        "batch": args.batch,
        "steps": args.steps,
        "threads": args.threads,
        "precision": args.precision,
        "train_images_per_second": train,
        "infer_images_per_second": infer,
    }
    if train_profile is not None:
        report["train_profile"] = train_profile
    print(json.dumps(report))


if __name__ == "__main__":
    main()
