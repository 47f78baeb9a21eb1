#!/usr/bin/env python3
"""Writes resnet32_state_dict.json and checks our checkpoints in PyTorch.

    python3 make_resnet_state_fixture.py                     # (re)write the fixture
    python3 make_resnet_state_fixture.py --check CKPT.safetensors [--classes 10]

The fixture lists LDAM-DRW ResNet-32's `state_dict()` (bench/resnet_cifar_torch.py, 10 classes)
in order: name, dtype, shape — 464,154 parameters plus batch-norm buffers, including the int64
scalars `num_batches_tracked`. NNTests compare our checkpoint names and shapes against it.

`--check` loads a checkpoint our Swift code wrote into that PyTorch model with
`load_state_dict(strict=True)` (so every name, shape and dtype must match, nothing missing or
extra) and runs one eval forward pass. Needs torch and `pip install safetensors`.
"""
import argparse
import json
import sys
from pathlib import Path

import torch
from safetensors.torch import load_file

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "bench"))
from resnet_cifar_torch import check_resnet32_parameter_count, resnet32  # noqa: E402

FIXTURE = HERE / "resnet32_state_dict.json"
DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def write_fixture():
    model = resnet32(num_classes=10)
    check_resnet32_parameter_count(model)
    entries = [[name, DTYPES[t.dtype], list(t.shape)] for name, t in model.state_dict().items()]
    lines = ",\n".join("  " + json.dumps(entry) for entry in entries)
    FIXTURE.write_text(f'{{"model": "resnet32", "classes": 10, "state_dict": [\n{lines}\n]}}\n')
    print(f"wrote {FIXTURE.name}: {len(entries)} entries")


def check(path, classes):
    model = resnet32(num_classes=classes)
    state = load_file(str(path))
    model.load_state_dict(state, strict=True)
    model.eval()
    with torch.no_grad():
        logits = model(torch.zeros(2, 3, 32, 32))
    assert torch.isfinite(logits).all(), "non-finite logits"
    print(f"{path}: load_state_dict(strict=True) into ResNet-32 ({classes} classes) OK, "
          f"{len(state)} tensors, {check_resnet32_parameter_count(model, classes)} parameters, "
          f"logits of a zero image {logits[0, :3].tolist()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", type=Path, help="a checkpoint written by our Swift code")
    parser.add_argument("--classes", type=int, default=10)
    arguments = parser.parse_args()
    check(arguments.check, arguments.classes) if arguments.check else write_fixture()
