#!/usr/bin/env python3
"""Writes lr_schedules.json, the golden learning rates for NNTests/LearningRateScheduleTests.swift.

    python3 make_lr_schedule_fixture.py

Every list is the learning rate an optimiser sees, one value per epoch (or per step where named):
- ldam_per_epoch: LDAM-DRW's `adjust_learning_rate` (cifar_train.py, reproduced below), base 0.1,
  200 epochs, called at the start of every epoch; cross-checked against torch's
  ChainedScheduler(LinearLR(0.2 → 1 over 4 epochs), MultiStepLR([160, 180], gamma 0.01)).
- ldam_per_step_warmup: the same recipe with the warm-up spread over steps (97 steps per epoch,
  6 epochs): torch LinearLR(1/(5·97) → 1 over 5·97−1 steps) stepped after every step.
- cosine: CosineAnnealingLR(T_max=320, eta_min=0), base 0.01, stepped after every epoch.
- cosine_stepped_before_start: the same with one scheduler.step() before epoch 0, as the BCE3S
  authors' code does.
"""
import json
import math
import warnings
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent


def ldam_adjust_learning_rate(epoch, base=0.1):
    """LDAM-DRW cifar_train.py: `epoch = epoch + 1; if epoch <= 5: lr = base * epoch / 5 …`."""
    epoch = epoch + 1
    if epoch <= 5:
        return base * epoch / 5
    if epoch > 180:
        return base * 0.0001
    if epoch > 160:
        return base * 0.01
    return base


def optimizer(lr):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr, momentum=0.9)


def record(opt, scheduler_step, count, steps_before_start=0):
    """The lr in force for each of `count` periods, calling `scheduler_step` after each."""
    for _ in range(steps_before_start):
        scheduler_step()
    values = []
    for _ in range(count):
        values.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler_step()
    return values


def ldam_per_epoch():
    opt = optimizer(0.1)
    chained = torch.optim.lr_scheduler.ChainedScheduler([
        torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.2, end_factor=1.0, total_iters=4),
        torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[160, 180], gamma=0.01),
    ])
    from_torch = record(opt, chained.step, 200)
    from_ldam = [ldam_adjust_learning_rate(e) for e in range(200)]
    assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(from_torch, from_ldam)), "LDAM and torch disagree"
    return from_ldam


def ldam_per_step_warmup(steps_per_epoch=97, epochs=6):
    opt = optimizer(0.1)
    total = 5 * steps_per_epoch
    warmup = torch.optim.lr_scheduler.LinearLR(opt, start_factor=1 / total, end_factor=1.0, total_iters=total - 1)
    return record(opt, warmup.step, epochs * steps_per_epoch)


def cosine(steps_before_start):
    opt = optimizer(0.01)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=320, eta_min=0)
    return record(opt, scheduler.step, 320, steps_before_start)


if __name__ == "__main__":
    # The authors' quirk calls scheduler.step() before optimizer.step() on purpose.
    warnings.filterwarnings("ignore", message="Detected call of")
    golden = {
        "torch_version": torch.__version__,
        "ldam_per_epoch": ldam_per_epoch(),
        "ldam_per_step_warmup": {"steps_per_epoch": 97, "values": ldam_per_step_warmup()},
        "cosine": cosine(0),
        "cosine_stepped_before_start": cosine(1),
    }
    (HERE / "lr_schedules.json").write_text(json.dumps(golden) + "\n")
    print("wrote lr_schedules.json with", ", ".join(f"{k} ({len(v)})" for k, v in golden.items() if isinstance(v, list)))
