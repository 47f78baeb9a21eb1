#!/usr/bin/env python3
"""NumPy reference for the long-tail subsets (independent of the Swift code).

    python3 numpy_reference.py golden > numpy_golden.json   # the fixture the tests read
    python3 numpy_reference.py archive cifar-10-binary.tar.gz [--imbalance 100]
        # LDAM-DRW's IMBALANCECIFAR10 subset of a real archive, to cross-check `bce3s data subset`

The subset code follows LDAM-DRW's imbalance_cifar.py: np.random.seed(0), then per class
np.where(targets == c), np.random.shuffle, keep the first n_c.
"""
import hashlib
import json
import sys
import tarfile

import numpy as np


def img_num_per_cls(cls_num, n_max, imb_factor, imb_type):
    img_max = float(n_max)
    if imb_type == "exp":
        return [int(img_max * (imb_factor ** (c / (cls_num - 1.0)))) for c in range(cls_num)]
    head = cls_num // 2
    return [int(img_max)] * head + [int(img_max * imb_factor)] * (cls_num - head)


def ldam_subset(targets, counts, policy, seed=0):
    targets_np = np.array(targets, dtype=np.int64)
    np.random.seed(seed)
    kept = []
    for the_class, the_img_num in zip(range(len(counts)), counts):
        idx = np.where(targets_np == the_class)[0]
        if policy == "ldam":
            np.random.shuffle(idx)
        kept.append(idx[:the_img_num])
    kept = np.concatenate(kept).astype("<i8")
    return {"counts": [int(c) for c in counts], "total": int(kept.size),
            "indices_sha256": hashlib.sha256(kept.tobytes()).hexdigest(), "first": [int(v) for v in kept[:8]]}


def formula_labels(classes):
    """5000 (CIFAR-10) / 500 (CIFAR-100) per class in a scrambled order; the tests rebuild it."""
    return [((i * 7919) % 50000) % classes for i in range(50000)]


def golden():
    bitgen = np.random.MT19937()
    bitgen._legacy_seeding(0)
    mt_seed0 = [int(v) for v in bitgen.random_raw(8)]
    bitgen._legacy_seeding(12345)
    mt_seed12345 = [int(v) for v in bitgen.random_raw(8)]
    # Enough outputs to cross a state regeneration (624 words).
    bitgen._legacy_seeding(0)
    mt_seed0_700 = int(bitgen.random_raw(700)[-1])

    np.random.seed(0)
    x = np.arange(5000)
    np.random.shuffle(x)
    shuffle_5000 = {"first": [int(v) for v in x[:10]],
                    "sha256": hashlib.sha256(x.astype("<i8").tobytes()).hexdigest()}
    np.random.seed(7)
    stream = []
    for n in (10, 1, 2, 33, 3):   # one stream across several shuffles
        y = np.arange(n)
        np.random.shuffle(y)
        stream.append([int(v) for v in y])

    subsets = []
    for dataset, classes, n_max in (("cifar10", 10, 5000), ("cifar100", 100, 500)):
        labels = formula_labels(classes)
        for imb in (100, 50, 10):
            for profile, imb_type in (("exponential", "exp"), ("step", "step")):
                counts = img_num_per_cls(classes, n_max, 1.0 / imb, imb_type)
                for policy in ("ldam", "first"):
                    entry = ldam_subset(labels, counts, policy)
                    entry.update(dataset=dataset, imbalance=imb, profile=profile, policy=policy)
                    subsets.append(entry)
    json.dump({"mt_seed0": mt_seed0, "mt_seed12345": mt_seed12345, "mt_seed0_output700": mt_seed0_700,
               "shuffle_5000_seed0": shuffle_5000, "shuffle_stream_seed7": stream, "subsets": subsets},
              sys.stdout, indent=1)
    print()


def archive(path, imbalance):
    targets = []
    with tarfile.open(path, "r:gz") as tar:
        for i in range(1, 6):
            data = tar.extractfile(f"cifar-10-batches-bin/data_batch_{i}.bin").read()
            records = np.frombuffer(data, dtype=np.uint8).reshape(-1, 3073)
            targets.extend(int(v) for v in records[:, 0])
    counts = img_num_per_cls(10, 5000, 1.0 / imbalance, "exp")
    result = ldam_subset(targets, counts, "ldam")
    del result["first"]
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1] == "golden":
        golden()
    else:
        imb = float(sys.argv[sys.argv.index("--imbalance") + 1]) if "--imbalance" in sys.argv else 100.0
        archive(sys.argv[2], imb)
