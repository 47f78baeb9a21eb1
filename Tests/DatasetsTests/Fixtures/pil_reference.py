#!/usr/bin/env python3
"""Pillow reference outputs for the AutoAugment operations (DeepVoltaire's CIFAR10Policy, as used
by GLMC / BCE3S) and for ToTensor + Normalize.

    pip install pillow torch numpy
    python3 pil_reference.py    # writes pil_inputs.bin and pil_golden.json here

pil_inputs.bin: two 32x32 RGB images, interleaved HWC uint8 (noise, smooth ramps).
pil_golden.json: SHA-256 of every output (HWC uint8 bytes; little-endian float32 CHW for normalise).
"""
import hashlib
import json
import os

import numpy as np
import torch
from PIL import Image, ImageEnhance, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
FILL = (128, 128, 128)

RANGES = {
    "shearX": np.linspace(0, 0.3, 10), "shearY": np.linspace(0, 0.3, 10),
    "translateX": np.linspace(0, 150 / 331, 10), "translateY": np.linspace(0, 150 / 331, 10),
    "rotate": np.linspace(0, 30, 10), "color": np.linspace(0.0, 0.9, 10),
    "posterize": np.round(np.linspace(8, 4, 10), 0).astype(int), "solarize": np.linspace(256, 0, 10),
    "contrast": np.linspace(0.0, 0.9, 10), "sharpness": np.linspace(0.0, 0.9, 10),
    "brightness": np.linspace(0.0, 0.9, 10), "autocontrast": [0] * 10, "equalize": [0] * 10, "invert": [0] * 10,
}


def rotate_with_fill(img, magnitude):
    rot = img.convert("RGBA").rotate(magnitude)
    return Image.composite(rot, Image.new("RGBA", rot.size, (128,) * 4), rot).convert(img.mode)


# DeepVoltaire's operations with the random sign made an argument.
OPS = {
    "shearX": lambda img, m, s: img.transform(img.size, Image.AFFINE, (1, m * s, 0, 0, 1, 0), Image.BICUBIC, fillcolor=FILL),
    "shearY": lambda img, m, s: img.transform(img.size, Image.AFFINE, (1, 0, 0, m * s, 1, 0), Image.BICUBIC, fillcolor=FILL),
    "translateX": lambda img, m, s: img.transform(img.size, Image.AFFINE, (1, 0, m * img.size[0] * s, 0, 1, 0), fillcolor=FILL),
    "translateY": lambda img, m, s: img.transform(img.size, Image.AFFINE, (1, 0, 0, 0, 1, m * img.size[1] * s), fillcolor=FILL),
    "rotate": lambda img, m, s: rotate_with_fill(img, m),
    "color": lambda img, m, s: ImageEnhance.Color(img).enhance(1 + m * s),
    "posterize": lambda img, m, s: ImageOps.posterize(img, int(m)),
    "solarize": lambda img, m, s: ImageOps.solarize(img, m),
    "contrast": lambda img, m, s: ImageEnhance.Contrast(img).enhance(1 + m * s),
    "sharpness": lambda img, m, s: ImageEnhance.Sharpness(img).enhance(1 + m * s),
    "brightness": lambda img, m, s: ImageEnhance.Brightness(img).enhance(1 + m * s),
    "autocontrast": lambda img, m, s: ImageOps.autocontrast(img),
    "equalize": lambda img, m, s: ImageOps.equalize(img),
    "invert": lambda img, m, s: ImageOps.invert(img),
}

POLICIES = [
    ("invert", 7, "contrast", 6), ("rotate", 2, "translateX", 9), ("sharpness", 1, "sharpness", 3),
    ("shearY", 8, "translateY", 9), ("autocontrast", 8, "equalize", 2), ("shearY", 7, "posterize", 7),
    ("color", 3, "brightness", 7), ("sharpness", 9, "brightness", 9), ("equalize", 5, "equalize", 1),
    ("contrast", 7, "sharpness", 5), ("color", 7, "translateX", 8), ("equalize", 7, "autocontrast", 8),
    ("translateY", 3, "sharpness", 6), ("brightness", 6, "color", 8), ("solarize", 2, "invert", 3),
    ("equalize", 0, "autocontrast", 0), ("equalize", 8, "equalize", 4), ("color", 9, "equalize", 6),
    ("autocontrast", 4, "solarize", 8), ("brightness", 3, "color", 0), ("solarize", 5, "autocontrast", 3),
    ("translateY", 9, "translateY", 9), ("autocontrast", 2, "solarize", 3), ("equalize", 8, "invert", 3),
    ("translateY", 9, "autocontrast", 1),
]


def sha(img):
    return hashlib.sha256(np.asarray(img, dtype=np.uint8).tobytes()).hexdigest()


def main():
    rng = np.random.RandomState(2024)
    noise = rng.randint(0, 256, (32, 32, 3)).astype(np.uint8)
    ramps = (np.cumsum(rng.randint(-12, 13, (32, 32, 3)), axis=1) % 200 + 30).astype(np.uint8)
    inputs = [noise, ramps]
    with open(os.path.join(HERE, "pil_inputs.bin"), "wb") as f:
        for a in inputs:
            f.write(a.tobytes())
    ops = []
    for k, a in enumerate(inputs):
        img = Image.fromarray(a)
        for name, fn in OPS.items():
            for m in (0, 1, 4, 7, 9):
                for s in (-1, 1):
                    ops.append({"image": k, "op": name, "magnitude": m, "sign": s,
                                "sha256": sha(fn(img, RANGES[name][m], s))})
    policies = []
    for k, a in enumerate(inputs):
        for i, (op1, m1, op2, m2) in enumerate(POLICIES):
            s1, s2 = (1, -1) if (i + k) % 2 else (-1, 1)
            out = OPS[op2](OPS[op1](Image.fromarray(a), RANGES[op1][m1], s1), RANGES[op2][m2], s2)
            policies.append({"image": k, "policy": i, "signs": [s1, s2], "sha256": sha(out)})
    mean, std = (0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)
    normalised = []
    for a in inputs:
        t = torch.from_numpy(a).permute(2, 0, 1).float().div(255)
        t = (t - torch.tensor(mean).view(3, 1, 1)) / torch.tensor(std).view(3, 1, 1)
        normalised.append(hashlib.sha256(t.numpy().astype("<f4").tobytes()).hexdigest())
    with open(os.path.join(HERE, "pil_golden.json"), "w") as f:
        json.dump({"pillow": Image.__version__, "operations": ops, "policies": policies,
                   "normalised_sha256": normalised}, f, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
