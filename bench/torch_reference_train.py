#!/usr/bin/env python3
"""An independent PyTorch implementation of the `ldam` recipe, to check our accuracies.

Trains LDAM-DRW's ResNet-32 (`resnet_cifar_torch.py`) on CIFAR-10-LT with CE, Balanced
Softmax or BCE3S (`bce3s_reference.py`), written from METHOD.md alone, sharing no code with the
Swift engine:
- data: the official binary batches (`cifar-10-binary.tar.gz` or its extracted folder);
  the `ldam` subset (NumPy legacy seed 0, one shuffle per class in order, keep the first n_c);
- augmentation: 4-pixel zero padding, random 32×32 crop, horizontal flip, then the recipe's
  normalisation;
- SGD (lr 0.1, momentum 0.9, weight decay 2e-4), batch 128, linear warm-up over
  `--warmup` epochs, ×0.01 from ⌊0.8·E⌋ and ×0.0001 from ⌊0.9·E⌋ (epoch-wise);
- evaluation of the final-epoch model on the balanced test set, plain and with the logits
  averaged over the image and its mirror.

Prints one JSON object: top1, top1_flip, many, medium, few (%, shot groups by training count:
many > 100, few < 20), per_class, seconds per epoch, and the subset's indices_sha256 (same
fingerprint as `bce3s data subset --json`). Compare with
`bce3s train … --method ce --epochs E --set-recipe warmup_epochs=W --set-recipe eval_every=0`.

`--method bce3s` trains METHOD.md §3's BCE3S stage 1 on the same recipe (three views per step,
see `bce3s_reference.py`), optionally followed by `--stage2-epochs N` of classifier
re-balancing, and adds to the JSON `history` (per epoch: `loss` = the weighted total and
`terms` = the unweighted joint / contrastive / uniform means, the keys of our `result.json`),
`stage1` when stage 2 ran, and the BCE3S settings. `--dump-first-step FILE` writes the first
step's batch, mixing draws, per-term losses and per-term gradient norms as JSON.
"""
import argparse
import hashlib
import json
import os
import sys
import tarfile
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bce3s_reference  # noqa: E402
from resnet_cifar_torch import resnet32  # noqa: E402

MEAN = np.array([0.4914, 0.4822, 0.4465], dtype=np.float32)
STD = np.array([0.2023, 0.1994, 0.2010], dtype=np.float32)
RECORD = 1 + 3072


def read_batches(data_dir):
    """(train images, train labels, test images, test labels); images uint8 [N, 3, 32, 32]."""
    data_dir = Path(data_dir)
    folder = data_dir / "cifar-10-batches-bin"
    names = [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]
    if folder.is_dir():
        blobs = {name: (folder / name).read_bytes() for name in names}
    else:
        with tarfile.open(data_dir / "cifar-10-binary.tar.gz") as archive:
            blobs = {Path(m.name).name: archive.extractfile(m).read() for m in archive.getmembers()
                     if Path(m.name).name in names}

    def parse(blob):
        records = np.frombuffer(blob, dtype=np.uint8).reshape(-1, RECORD)
        return records[:, 1:].reshape(-1, 3, 32, 32), records[:, 0].astype(np.int64)

    train = [parse(blobs[name]) for name in names[:5]]
    test_images, test_labels = parse(blobs["test_batch.bin"])
    return (np.concatenate([t[0] for t in train]), np.concatenate([t[1] for t in train]), test_images, test_labels)


def ldam_subset(labels, imbalance, classes=10):
    """Indices kept by the LDAM protocol, in kept order, and the per-class counts."""
    n_max = len(labels) // classes
    counts = [int(n_max * (1 / imbalance) ** (c / (classes - 1))) for c in range(classes)]
    np.random.seed(0)
    kept = []
    for c, n in enumerate(counts):
        idx = np.where(labels == c)[0]
        np.random.shuffle(idx)
        kept.extend(idx[:n].tolist())
    return np.array(kept, dtype=np.int64), counts


def normalise(images_uint8):
    x = images_uint8.float().div_(255)
    return (x - torch.from_numpy(MEAN).view(1, 3, 1, 1)) / torch.from_numpy(STD).view(1, 3, 1, 1)


def augment(batch, generator):
    """Zero-pad 4, random 32×32 crop, random horizontal flip; uint8 [B, 3, 32, 32] in and out."""
    padded = F.pad(batch, (4, 4, 4, 4))
    offsets = torch.randint(0, 9, (batch.shape[0], 2), generator=generator)
    flips = torch.rand(batch.shape[0], generator=generator) < 0.5
    out = torch.empty_like(batch)
    for i in range(batch.shape[0]):
        y, x = offsets[i].tolist()
        crop = padded[i, :, y:y + 32, x:x + 32]
        out[i] = crop.flip(-1) if flips[i] else crop
    return out


def learning_rate(epoch, epochs, warmup, base=0.1):
    if epoch < warmup:
        return base * (epoch + 1) / warmup
    if epoch >= int(0.9 * epochs):
        return base * 1e-4
    if epoch >= int(0.8 * epochs):
        return base * 1e-2
    return base


def evaluate(model, images, labels, classes):
    model.eval()
    plain, flipped = [], []
    with torch.no_grad():
        for start in range(0, len(images), 500):
            x = normalise(images[start:start + 500]).contiguous(memory_format=torch.channels_last)
            logits = model(x)
            plain.append(logits.argmax(1))
            flipped.append((logits + model(x.flip(-1))).argmax(1))
    model.train()

    def per_class(predictions):
        predictions = torch.cat(predictions)
        return [100 * float((predictions[labels == c] == c).float().mean()) for c in range(classes)]

    return per_class(plain), per_class(flipped)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--method", choices=["ce", "balanced_softmax", "bce3s"], default="ce")
    parser.add_argument("--imbalance", type=float, default=100)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    bce3s = parser.add_argument_group("bce3s (METHOD.md §3; ignored by ce and balanced_softmax)")
    bce3s.add_argument("--stage2-epochs", type=int, default=0, help="classifier re-balancing epochs after stage 1")
    bce3s.add_argument("--negative-ratio", type=float, default=0.4, help="r of the partial negatives on the unmixed batch")
    bce3s.add_argument("--stage2-negative-ratio", type=float, default=0.4)
    bce3s.add_argument("--cutmix-target", choices=["lambda", "area"], default="lambda",
                       help="CutMix soft target: the authors' λ, or 1 − box area")
    bce3s.add_argument("--head-init", choices=["kaiming", "authors"], default="kaiming",
                       help="classifier and projection init: Kaiming-normal (LDAM-DRW's rule) or the BCE3S code's "
                            "head.py (classifier N(0, 1/d), projection PyTorch's default), as ours")
    bce3s.add_argument("--sampler-power", type=float, default=0.0, help="ρ: second-batch sample weights n_y^(−ρ)")
    bce3s.add_argument("--dump-first-step", metavar="FILE",
                       help="write the first step's batch, mixing draws, per-term losses and gradient norms as JSON "
                            "(and the first step of epoch 1, the first with the contrastive term)")
    bce3s.add_argument("--without", action="append", choices=["contrastive", "uniform"], default=[],
                       help="leave a term out (repeatable), like our ablation presets bce_joint_uniform, bce_joint, …")
    bce3s.add_argument("--limit-steps", type=int, help="stop every epoch after N steps (smoke tests only)")
    args = parser.parse_args()
    if args.method == "bce3s":
        return main_bce3s(args)

    generator, images, labels, counts, test, fingerprint = setup(args)
    log_prior = torch.log(torch.tensor(counts, dtype=torch.float32))

    model = resnet32(num_classes=10).to(memory_format=torch.channels_last)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=2e-4)
    epoch_seconds = []
    for epoch in range(args.epochs):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(epoch, args.epochs, args.warmup)
        start = time.perf_counter()
        order = torch.randperm(len(labels), generator=generator)
        total = 0.0
        for step in range(0, len(order), 128):
            index = order[step:step + 128]
            x = normalise(augment(images[index], generator)).contiguous(memory_format=torch.channels_last)
            logits = model(x)
            if args.method == "balanced_softmax":
                logits = logits + log_prior
            loss = F.cross_entropy(logits, labels[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        epoch_seconds.append(time.perf_counter() - start)
        print(f"epoch {epoch + 1}/{args.epochs} loss {total / len(labels):.4f} lr {learning_rate(epoch, args.epochs, args.warmup):g} "
              f"{epoch_seconds[-1]:.1f} s", file=sys.stderr, flush=True)

    print(json.dumps(result(args, model, test, counts, len(labels), fingerprint, epoch_seconds)))


def setup(args):
    """Threads, seeds, the `ldam` subset as tensors: (generator, images, labels, counts, test, fingerprint)."""
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    train_images, train_labels, test_images, test_labels = read_batches(args.data_dir)
    kept, counts = ldam_subset(train_labels, args.imbalance)
    fingerprint = hashlib.sha256(kept.astype("<i8").tobytes()).hexdigest()
    images = torch.from_numpy(train_images[kept].copy())
    labels = torch.from_numpy(train_labels[kept].copy())
    return generator, images, labels, counts, (torch.from_numpy(test_images.copy()), torch.from_numpy(test_labels)), fingerprint


def result(args, model, test, counts, total, fingerprint, epoch_seconds):
    """The final-epoch evaluation as the JSON object every method prints."""
    plain, flipped = evaluate(model, *test, 10)
    many = [c for c, n in enumerate(counts) if n > 100]
    medium = [c for c, n in enumerate(counts) if 20 <= n <= 100]
    few = [c for c, n in enumerate(counts) if n < 20]
    group = lambda accuracies, members: float(np.mean([accuracies[c] for c in members])) if members else None  # noqa: E731
    return {
        "framework": f"pytorch {torch.__version__}", "method": args.method, "epochs": args.epochs, "warmup": args.warmup,
        "seed": args.seed, "indices_sha256": fingerprint, "total": total,
        "top1": float(np.mean(plain)), "top1_flip": float(np.mean(flipped)),
        "many": group(plain, many), "medium": group(plain, medium), "few": group(plain, few),
        "per_class": [round(a, 2) for a in plain], "seconds_per_epoch": float(np.median(epoch_seconds)),
    }


def write_json_atomically(path, obj):
    """Temp file + rename, so the file is either absent or complete."""
    path = Path(path)
    temp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temp.write_text(json.dumps(obj, indent=1) + "\n")
    temp.replace(path)


def write_views_atomically(path, views):
    """The augmented uint8 batches [B, 3, 32, 32] (`x`, the second batch `x2`) as .npz; returns the path."""
    temp = Path(path).with_name(f".{Path(path).name}.tmp{os.getpid()}.npz")
    np.savez(temp, **views)
    temp.replace(path)
    return str(path)


def main_bce3s(args):
    """BCE3S stage 1 (+ optional stage 2) on the `ldam` recipe; prints the CE JSON plus history and settings."""
    generator, images, labels, counts, test, fingerprint = setup(args)
    rng = bce3s_reference.seeded_rng(args.seed)

    model = bce3s_reference.BCE3SNet(resnet32(num_classes=10), head_init=args.head_init).to(memory_format=torch.channels_last)
    trainer = bce3s_reference.Trainer(model, images, labels, counts, generator, rng, negative_ratio=args.negative_ratio,
                                      cutmix_target=args.cutmix_target, sampler_power=args.sampler_power,
                                      augment=augment, normalise=normalise, batch=128, without=args.without)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=2e-4)
    dumped = {}

    def dump(epoch):
        """The writer for this epoch's first step: epoch 0, and epoch 1 (the first with the contrastive term)."""
        if args.dump_first_step is None or epoch > 1:
            return None

        def write(record, step):
            record.update({"epoch": epoch, "step": 0, "seed": args.seed, "learning_rate": optimizer.param_groups[0]["lr"],
                           "losses": bce3s_reference.step_losses(step),
                           "gradient_norms": bce3s_reference.gradient_norms(model, step),
                           "weights": {"contrastive": bce3s_reference.CONTRASTIVE_WEIGHT,
                                       "uniform": bce3s_reference.UNIFORM_WEIGHT}})
            name = "first_step" if epoch == 0 else "first_contrastive_step"
            views = record.pop("views_uint8")
            record["views_file"] = write_views_atomically(f"{args.dump_first_step}.{name}.npz", views)
            dumped[name] = record
            write_json_atomically(args.dump_first_step, {"framework": f"pytorch {torch.__version__}",
                                                         "indices_sha256": fingerprint, **dumped})
        return write

    def progress(number, running, step):
        if number % 10 == 0:
            this_step = bce3s_reference.step_losses(step)
            print(f"  step {number + 1}: running means " + " ".join(f"{k} {v:.4f}" for k, v in running.items())
                  + "; this step " + " ".join(f"{k} {this_step[k]:.4f}" for k in running if k != "loss"),
                  file=sys.stderr, flush=True)

    history, epoch_seconds = [], []
    for epoch in range(args.epochs):
        lr = learning_rate(epoch, args.epochs, args.warmup)
        for group in optimizer.param_groups:
            group["lr"] = lr
        start = time.perf_counter()
        loss, terms = trainer.train_epoch(optimizer, epoch, args.limit_steps, dump(epoch), progress)
        epoch_seconds.append(time.perf_counter() - start)
        history.append({"stage": 1, "epoch": epoch, "learning_rate": lr, "loss": loss, "terms": terms,
                        "seconds": epoch_seconds[-1]})
        print(f"epoch {epoch + 1}/{args.epochs} loss {loss:.4f} " + " ".join(f"{k} {v:.4f}" for k, v in sorted(terms.items()))
              + f" lr {lr:g} {epoch_seconds[-1]:.1f} s", file=sys.stderr, flush=True)

    stage1, threshold = None, None
    if args.stage2_epochs > 0:
        plain, flipped = evaluate(model, *test, 10)
        stage1 = {"top1": float(np.mean(plain)), "top1_flip": float(np.mean(flipped))}
        print(f"stage 1: top-1 {stage1['top1']:.2f} (flip {stage1['top1_flip']:.2f})", file=sys.stderr, flush=True)

        def log(record):
            print(f"stage 2 epoch {record['epoch'] + 1}/{args.stage2_epochs} loss {record['loss']:.4f} "
                  f"lr {record['learning_rate']:g}", file=sys.stderr, flush=True)
        stage2_history, threshold = trainer.stage2(args.stage2_epochs, args.stage2_negative_ratio, args.limit_steps, log)
        history.extend(stage2_history)

    print(json.dumps({
        **result(args, model, test, counts, len(labels), fingerprint, epoch_seconds),
        "stage2_epochs": args.stage2_epochs, "stage1": stage1, "stage2_max_norm_threshold": threshold,
        "negative_ratio": args.negative_ratio, "stage2_negative_ratio": args.stage2_negative_ratio,
        "cutmix_target": args.cutmix_target, "without": args.without, "sampler_power": args.sampler_power, "limit_steps": args.limit_steps,
        "head_init": args.head_init,
        "weights": {"contrastive": bce3s_reference.CONTRASTIVE_WEIGHT, "uniform": bce3s_reference.UNIFORM_WEIGHT},
        "history": history,
    }))


if __name__ == "__main__":
    main()
