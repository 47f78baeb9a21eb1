#!/usr/bin/env python3
"""Writes the state-dict fixtures of our backbones and checks our checkpoints in PyTorch.

    python3 make_resnet_state_fixture.py            # (re)write both fixtures
    python3 make_resnet_state_fixture.py --check CKPT.safetensors [--model resnet32] [--classes 10] [--io IO.safetensors]

The fixtures list each PyTorch model's `state_dict()` (bench/resnet_cifar_torch.py) in order:
name, dtype, shape, including the int64 scalars `num_batches_tracked`.
- resnet32_state_dict.json: LDAM-DRW ResNet-32, 10 classes, 464,154 parameters;
- resnet34_cifar_state_dict.json: ResNet-34-CIFAR with torchvision names, 100 classes, 21,328,292.
NNTests compare our checkpoint names and shapes against them.

`--check` loads a checkpoint our Swift code wrote into that PyTorch model with
`load_state_dict(strict=True)` (so every name, shape and dtype must match, nothing missing or
extra) and runs one eval forward pass; with `--io`, a file holding `input` and our `logits`, it
compares PyTorch's eval-mode logits on `input` with ours. Needs torch and `pip install safetensors`.
"""
import argparse
import json
import sys
from pathlib import Path

import torch
from safetensors.torch import load_file

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "bench"))
from resnet_cifar_torch import MODELS, check_parameter_count  # noqa: E402

FIXTURES = {"resnet32": ("resnet32_state_dict.json", 10), "resnet34": ("resnet34_cifar_state_dict.json", 100)}
DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def write_fixture(name):
    file, classes = FIXTURES[name]
    model = MODELS[name](num_classes=classes)
    check_parameter_count(name, model, classes)
    entries = [[key, DTYPES[t.dtype], list(t.shape)] for key, t in model.state_dict().items()]
    lines = ",\n".join("  " + json.dumps(entry) for entry in entries)
    (HERE / file).write_text(f'{{"model": "{name}", "classes": {classes}, "state_dict": [\n{lines}\n]}}\n')
    print(f"wrote {file}: {len(entries)} entries")


def check(path, name, classes, io_path=None):
    classes = classes or FIXTURES[name][1]
    model = MODELS[name](num_classes=classes)
    state = load_file(str(path))
    model.load_state_dict(state, strict=True)
    model.eval()
    with torch.no_grad():
        logits = model(torch.zeros(2, 3, 32, 32))
    assert torch.isfinite(logits).all(), "non-finite logits"
    print(f"{path}: load_state_dict(strict=True) into {name} ({classes} classes) OK, "
          f"{len(state)} tensors, {check_parameter_count(name, model, classes)} parameters, "
          f"logits of a zero image {logits[0, :3].tolist()}")
    if io_path:
        io = load_file(str(io_path))
        with torch.no_grad():
            ours, theirs = io["logits"], model(io["input"])
        difference = (ours - theirs).abs().max().item()
        print(f"{io_path}: PyTorch logits vs ours on {tuple(io['input'].shape)}: max |difference| {difference:.2e}")
        if difference > 1e-3 * max(1.0, theirs.abs().max().item()):
            sys.exit("logits differ: the checkpoint does not mean the same model in PyTorch")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", type=Path, help="a checkpoint written by our Swift code")
    parser.add_argument("--model", choices=sorted(FIXTURES), default="resnet32")
    parser.add_argument("--classes", type=int, help="default: the fixture's (10 for resnet32, 100 for resnet34)")
    parser.add_argument("--io", type=Path, help="with --check: `input` and our `logits` to compare")
    arguments = parser.parse_args()
    if arguments.check:
        check(arguments.check, arguments.model, arguments.classes, arguments.io)
    else:
        for model_name in FIXTURES:
            write_fixture(model_name)
