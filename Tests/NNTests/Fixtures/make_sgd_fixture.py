#!/usr/bin/env python3
"""Writes sgd_golden.safetensors, the golden values for NNTests/SGDTests.swift.

    python3 make_sgd_fixture.py        (needs torch and `pip install safetensors`)

Three parameters (`linear.weight` [4, 3], `linear.bias` [4], `conv.weight` [2, 3, 3, 3]) start
from `initial.<name>`; step t (0, 1, 2) applies the fixed gradient `grad<t>.<name>` with learning
rate LRS[t] through torch.optim.SGD (single-tensor CPU path). For each configuration <c>:
`<c>.step<t>.<name>` is the parameter after step t, `<c>.<name>.momentum_buffer` the final
momentum buffer. The configurations (also in the file's metadata):
- plain:    momentum 0.9, weight decay 2e-4 on every parameter (the `ldam` recipe);
- nesterov: momentum 0.9, Nesterov, weight decay 5e-3 except on 1-D parameters (biases, BN),
            as two parameter groups.
"""
import json
from pathlib import Path

import torch
from safetensors.torch import save_file

HERE = Path(__file__).resolve().parent
LRS = [0.1, 0.05, 0.02]
SHAPES = {"linear.weight": (4, 3), "linear.bias": (4,), "conv.weight": (2, 3, 3, 3)}
CONFIGS = {
    "plain": {"momentum": 0.9, "nesterov": False, "weight_decay": 2e-4, "decay_1d": True},
    "nesterov": {"momentum": 0.9, "nesterov": True, "weight_decay": 5e-3, "decay_1d": False},
}


def run(config, initial, grads):
    params = {name: torch.nn.Parameter(value.clone()) for name, value in initial.items()}
    decayed = [p for n, p in params.items() if config["decay_1d"] or p.dim() > 1]
    undecayed = [p for n, p in params.items() if not (config["decay_1d"] or p.dim() > 1)]
    groups = [{"params": decayed, "weight_decay": config["weight_decay"]}]
    if undecayed:
        groups.append({"params": undecayed, "weight_decay": 0.0})
    optimizer = torch.optim.SGD(groups, lr=LRS[0], momentum=config["momentum"], nesterov=config["nesterov"],
                                foreach=False)
    out = {}
    for step, lr in enumerate(LRS):
        for group in optimizer.param_groups:
            group["lr"] = lr
        for name, p in params.items():
            p.grad = grads[step][name].clone()
        optimizer.step()
        out.update({f"step{step}.{name}": p.detach().clone() for name, p in params.items()})
    out.update({f"{name}.momentum_buffer": optimizer.state[p]["momentum_buffer"].clone() for name, p in params.items()})
    return out


if __name__ == "__main__":
    generator = torch.Generator().manual_seed(7)
    initial = {name: torch.randn(shape, generator=generator) for name, shape in SHAPES.items()}
    grads = [{name: torch.randn(shape, generator=generator) for name, shape in SHAPES.items()} for _ in LRS]
    tensors = {f"initial.{name}": value for name, value in initial.items()}
    for step, step_grads in enumerate(grads):
        tensors.update({f"grad{step}.{name}": value for name, value in step_grads.items()})
    for label, config in CONFIGS.items():
        tensors.update({f"{label}.{key}": value for key, value in run(config, initial, grads).items()})
    metadata = {"learning_rates": json.dumps(LRS), "configs": json.dumps(CONFIGS), "torch": torch.__version__}
    save_file(tensors, str(HERE / "sgd_golden.safetensors"), metadata=metadata)
    print(f"wrote sgd_golden.safetensors with {len(tensors)} tensors")
