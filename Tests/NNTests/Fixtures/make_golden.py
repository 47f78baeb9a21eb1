#!/usr/bin/env python3
"""Writes resnet_golden.safetensors: small ResNets in PyTorch with fixed weights, their inputs,
features, gradients and batch-norm statistics, for NNTests/ResNetGoldenTests.swift.

    python3 make_golden.py        # needs torch and `pip install safetensors`

Two networks, each under its own name prefix:
- `ldam.`: LDAM-DRW's resnet_cifar.py family with one BasicBlock per stage (ResNet-8, option-A
  shortcuts, global average pool), from bench/resnet_cifar_torch.py;
- `tv.`: a torchvision-style CIFAR ResNet (BasicBlocks with 1x1-conv+BN `downsample` projections,
  3x3 stride-1 stem, no max-pool, 4x4 average pool) with one block per stage and narrow widths
  8/16/32/64, so the projection and channels-last paths are covered in a small file.

For each network, in this order:
1. parameters and buffers are set to fixed random values (`param.<name>`), BN statistics included;
2. eval mode: features of the images `input` → `eval_features`;
3. training mode: features → `train_features`; the scalar L = sum(train_features * `probe`) is
   back-propagated → `grad.<parameter name>` and `grad_input`; running statistics afterwards →
   `after.<buffer name>`.
Metadata: fixture version and this script's name.
"""
import sys
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "bench"))
from resnet_cifar_torch import ResNetCIFAR  # noqa: E402

VERSION = "1"


class TorchvisionBlock(nn.Module):
    """torchvision.models.resnet.BasicBlock with its parameter names."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


class TorchvisionCIFAR(nn.Module):
    """torchvision ResNet layout as the BCE3S code uses it, without the fc head."""

    def __init__(self, widths=(8, 16, 32, 64)):
        super().__init__()
        self.conv1 = nn.Conv2d(3, widths[0], 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        cin = widths[0]
        for i, w in enumerate(widths):
            setattr(self, f"layer{i + 1}", nn.Sequential(TorchvisionBlock(cin, w, 1 if i == 0 else 2)))
            cin = w
        self.avgpool = nn.AvgPool2d(4)

    def features(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        for i in range(4):
            out = getattr(self, f"layer{i + 1}")(out)
        return self.avgpool(out).flatten(1)


def randomise(model, generator):
    """Fixed, non-trivial values for every parameter and BN buffer."""
    with torch.no_grad():
        for name, t in list(model.named_parameters()) + list(model.named_buffers()):
            if name.endswith("num_batches_tracked"):
                continue
            if name.endswith("running_var") or (name.endswith("weight") and t.dim() == 1):
                t.copy_(torch.rand(t.shape, generator=generator) + 0.5)
            elif t.dim() == 1:
                t.copy_((torch.rand(t.shape, generator=generator) - 0.5) * 0.4)
            else:
                fan_in = t[0].numel()
                t.copy_(torch.randn(t.shape, generator=generator) * (2.0 / fan_in) ** 0.5)


def record(prefix, model, generator, out):
    randomise(model, generator)
    for name, t in model.state_dict().items():
        if not name.endswith("num_batches_tracked") and not name.startswith("linear."):
            out[f"{prefix}param.{name}"] = t.clone()
    images = torch.randn(3, 3, 32, 32, generator=generator)
    out[f"{prefix}input"] = images
    model.eval()
    with torch.no_grad():
        out[f"{prefix}eval_features"] = model.features(images)
    model.train()
    images = images.clone().requires_grad_(True)
    features = model.features(images)
    probe = torch.randn(features.shape, generator=generator)
    (features * probe).sum().backward()
    out[f"{prefix}probe"] = probe
    out[f"{prefix}train_features"] = features.detach()
    out[f"{prefix}grad_input"] = images.grad
    for name, p in model.named_parameters():
        if name.startswith("linear."):
            continue
        out[f"{prefix}grad.{name}"] = p.grad
    for name, b in model.named_buffers():
        if not name.endswith("num_batches_tracked"):
            out[f"{prefix}after.{name}"] = b.clone()


def main():
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(20261127)
    out = {}
    record("ldam.", ResNetCIFAR(1), generator, out)
    record("tv.", TorchvisionCIFAR(), generator, out)
    out = {k: v.contiguous().float() for k, v in out.items()}
    path = HERE / "resnet_golden.safetensors"
    save_file(out, str(path), metadata={"fixture_version": VERSION, "script": "make_golden.py"})
    print(f"wrote {path.name}: {len(out)} tensors, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
