#!/usr/bin/env python3
"""Evaluate one of our trained ResNet-32s in PyTorch: an independent check of a stored accuracy.

Reads a train step's `model.safetensors` (e.g. results/reference-full/artifacts/<key>/), puts
its backbone into bench/resnet_cifar_torch.py's ResNet-32 (PyTorch's own layers, sharing no code
with ours) and its classifier into the head the parameter names and shapes identify, written
from METHOD.md §3:

  <prefix>.weight [K, d] and <prefix>.bias [K]  linear head (CE, Balanced Softmax, Focal, …:
                                                plain logits at test time)
  linear.weight [d, K], no bias                 LDAM-DRW's cosine head (NormedLinear)
  <prefix>.weight [K, d] and <prefix>.b [K]     BCE3S's head: w_k / max(‖w_k‖, 1e-5) · f + b_k

and prints top-1 on the balanced CIFAR-10 test set, with flip test-time augmentation (logits of
the image and its mirror added) and per class, as our `result.json` stores them. With
`--expect RESULT_JSON` it compares with our stored numbers and exits non-zero if they differ
by more than `--tolerance` points (default 0.05: a few of 10,000 predictions may flip between
two float32 implementations whose sums run in another order).

  python3 bench/torch_evaluate.py --weights results/reference-full/artifacts/<key>/model.safetensors \
      --data-dir ../shared/data --expect results/reference-full/artifacts/<key>/result.json
"""
import argparse
import json
import struct
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resnet_cifar_torch import resnet32, resnet32_glmc  # noqa: E402
from torch_reference_train import normalise, read_batches  # noqa: E402

NORM_FLOOR = 1e-5
DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64}


def read_safetensors(path):
    """{name: numpy array} and the metadata of a safetensors file (format: 8-byte little-endian
    header length, JSON header of dtype/shape/data_offsets per tensor, then the raw bytes)."""
    blob = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + length])
    metadata = header.pop("__metadata__", {})
    data = blob[8 + length:]
    tensors = {}
    for name, entry in header.items():
        if entry["dtype"] not in DTYPES:
            raise SystemExit(f"{path}: tensor {name}: dtype {entry['dtype']} not supported (expected {sorted(DTYPES)})")
        start, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[start:end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"]).copy()
    return tensors, metadata


def classifier(tensors, feature_dimension):
    """(description, logits function of features, class count) for the head stored beside the backbone."""
    backbone_prefixes = ("conv1.", "bn1.", "layer")
    head = {name: value for name, value in tensors.items() if not name.startswith(backbone_prefixes)}
    weights = {name[:-len(".weight")]: value for name, value in head.items() if name.endswith(".weight")}
    for prefix, w in weights.items():
        w = torch.from_numpy(w)
        if f"{prefix}.b" in head:
            b = torch.from_numpy(head[f"{prefix}.b"])
            return (f"normalised ({prefix}.weight {list(w.shape)}, {prefix}.b)",
                    lambda f: f @ (w / w.norm(dim=1, keepdim=True).clamp_min(NORM_FLOOR)).t() + b, w.shape[0])
        if f"{prefix}.bias" in head and w.shape[1] == feature_dimension:
            b = torch.from_numpy(head[f"{prefix}.bias"])
            return f"linear ({prefix}.weight {list(w.shape)}, {prefix}.bias)", lambda f: F.linear(f, w, b), w.shape[0]
        if w.shape[0] == feature_dimension and f"{prefix}.bias" not in head:
            return (f"cosine ({prefix}.weight {list(w.shape)})",
                    lambda f: F.normalize(f, dim=1) @ F.normalize(w, dim=0), w.shape[1])
    raise SystemExit(f"no classifier head recognised among {sorted(head)} (expected <prefix>.weight with .bias or .b, "
                     f"or a [{feature_dimension}, K] cosine weight)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weights", required=True, help="a model.safetensors written by a train step")
    parser.add_argument("--data-dir", default="../shared/data", help="folder with cifar-10-binary.tar.gz or its batches")
    parser.add_argument("--expect", help="our result.json of the same training, to compare with")
    parser.add_argument("--tolerance", type=float, default=0.05, help="allowed difference in points")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    tensors, metadata = read_safetensors(args.weights)
    # LDAM-DRW's ResNet-32 or GLMC's 4×-wide one, told apart by the stem's width; the model's own
    # `linear` layer is not used: the stored head is applied to the features
    model = resnet32_glmc() if tensors["conv1.weight"].shape[0] == 64 else resnet32()
    state = model.state_dict()
    backbone = {name: torch.from_numpy(value) for name, value in tensors.items() if name in state and not name.startswith("linear.")}
    missing = [name for name in state if not name.startswith("linear.") and name not in backbone]
    if missing:
        raise SystemExit(f"{args.weights}: backbone tensors missing: {missing[:5]} … (is it a ResNet-32?)")
    model.load_state_dict(backbone, strict=False)
    model.eval()
    description, logits_of, classes = classifier(tensors, model.linear.in_features)

    _, _, test_images, test_labels = read_batches(args.data_dir)
    images, labels = torch.from_numpy(test_images), torch.from_numpy(test_labels)
    plain, flipped = [], []
    with torch.no_grad():
        for start in range(0, len(images), 500):
            x = normalise(images[start:start + 500])
            logits = logits_of(model.features(x))
            plain.append(logits.argmax(1))
            flipped.append((logits + logits_of(model.features(x.flip(-1)))).argmax(1))

    def accuracies(predictions):
        predictions = torch.cat(predictions)
        per_class = [100 * float((predictions[labels == c] == c).float().mean()) for c in range(classes)]
        return 100 * float((predictions == labels).float().mean()), per_class

    (top1, per_class), (top1_flip, _) = accuracies(plain), accuracies(flipped)
    epochs = metadata.get("epochs", "?")
    print(f"{args.weights}: {epochs} epochs, head {description}")
    print(f"PyTorch top-1 {top1:.2f}  flip {top1_flip:.2f}  per class " + " ".join(f"{a:.1f}" for a in per_class))
    if args.expect:
        ours = json.loads(Path(args.expect).read_text())
        evaluation = ours.get("evaluation", ours)
        want, want_flip = 100 * evaluation["top1"], 100 * evaluation["top1_flip"]
        print(f"ours    top-1 {want:.2f}  flip {want_flip:.2f}  (from {args.expect})")
        worst = max(abs(top1 - want), abs(top1_flip - want_flip))
        if worst > args.tolerance:
            raise SystemExit(f"PyTorch and ours differ by {worst:.2f} points (tolerance {args.tolerance})")
        print(f"agree within {args.tolerance} points (largest difference {worst:.2f})")


if __name__ == "__main__":
    main()
