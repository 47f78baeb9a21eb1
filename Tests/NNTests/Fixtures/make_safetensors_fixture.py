#!/usr/bin/env python3
"""Writes the safetensors reference fixture for NNTests/SafeTensorsTests.swift, and checks files
our Swift code wrote.

    python3 make_safetensors_fixture.py                 # (re)write the two fixture files here
    python3 make_safetensors_fixture.py --check F.safetensors   # load F in PyTorch, compare

Outputs (committed):
- safetensors_reference.safetensors — written by the reference writer,
  `safetensors.torch.save_file` (pip package `safetensors`, Rust core), metadata {"format": "pt"}.
- safetensors_reference.json — the same tensors, independent of the format: dtype, shape and
  every element as an exact integer (float32 → its IEEE-754 bit pattern, so NaN, ±0, ±inf and
  subnormals compare exactly).
Needs torch and safetensors (`pip install safetensors`).
"""
import argparse
import json
import math
import struct
import sys
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "safetensors_reference.safetensors"
EXPECTED = HERE / "safetensors_reference.json"


def reference_tensors():
    generator = torch.Generator().manual_seed(20261127)
    return {
        "conv1.weight": torch.randn(2, 3, 3, 3, generator=generator),
        "bn1.running_var": torch.rand(3, generator=generator) + 0.5,
        "bn1.num_batches_tracked": torch.tensor(391, dtype=torch.int64),
        "linear.bias": torch.randn(10, generator=generator),
        "special": torch.tensor([0.0, -0.0, 1e-45, 3.4e38, math.inf, -math.inf, math.nan, 1 / 3],
                                dtype=torch.float32),
        "counts": torch.tensor([[-1, 2**40], [-(2**63), 2**63 - 1]], dtype=torch.int64),
        "empty": torch.zeros(0),
        'odd "name"/é': torch.tensor([1.5]),
    }


def exact_elements(tensor):
    """Elements as exact integers: float32 bit patterns, or the int64 values themselves."""
    flat = tensor.contiguous().flatten()
    if tensor.dtype == torch.float32:
        return [struct.unpack("<I", struct.pack("<f", x))[0] for x in flat.tolist()]
    return flat.tolist()


def describe(tensors):
    return {name: {"dtype": {torch.float32: "F32", torch.int64: "I64"}[t.dtype],
                   "shape": list(t.shape), "elements": exact_elements(t)}
            for name, t in sorted(tensors.items())}


def write_fixture():
    tensors = reference_tensors()
    save_file(tensors, str(FIXTURE), metadata={"format": "pt"})
    EXPECTED.write_text(json.dumps(describe(tensors), indent=1) + "\n")
    print(f"wrote {FIXTURE.name} ({FIXTURE.stat().st_size} bytes) and {EXPECTED.name}")


def check(path):
    """Load a Swift-written file with the reference reader and compare it with the reference tensors."""
    loaded = load_file(str(path))
    expected = describe(reference_tensors())
    actual = describe(loaded)
    if actual != expected:
        for name in sorted(set(expected) | set(actual)):
            if expected.get(name) != actual.get(name):
                print(f"MISMATCH {name}: expected {expected.get(name)} got {actual.get(name)}")
        sys.exit(f"{path}: does not match the reference tensors")
    print(f"{path}: {len(loaded)} tensors load in PyTorch and equal the reference bit for bit")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", type=Path, help="a Swift-written file to load and compare")
    arguments = parser.parse_args()
    check(arguments.check) if arguments.check else write_fixture()
