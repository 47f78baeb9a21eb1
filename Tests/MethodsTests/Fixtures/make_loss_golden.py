#!/usr/bin/env python3
"""Golden values for MethodsTests/LossGoldenTests.swift, computed independently with PyTorch.

Each loss is written here the way its reference code writes it (LDAM-DRW's `losses.py`, the
BCE3S authors' `head.py`), in float64, from float32 inputs drawn with a fixed seed. The file
records the inputs, the loss and the gradients so the Swift test needs no Python.

    python3 Tests/MethodsTests/Fixtures/make_loss_golden.py   # rewrites loss_golden.json
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(0)
DOUBLE = torch.float64


def leaf(shape, scale=1.0):
    """A float32-representable input (so Swift sees the same numbers), as a float64 leaf."""
    x = (torch.rand(shape) * 2 - 1) * scale
    return x.float().to(DOUBLE).requires_grad_(True)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def case(name, inputs, loss, extra=None):
    loss.backward()
    entry = {"name": name, "loss": float(loss.detach())}
    for key, value in inputs.items():
        if isinstance(value, torch.Tensor):
            entry[key] = {"shape": list(value.shape), "values": flat(value)}
            if value.grad is not None:
                entry["grad_" + key] = flat(value.grad)
        else:
            entry[key] = value
    entry.update(extra or {})
    return entry


def bce_loss(logits, positive, negative, strict=64.0, l=1.0):
    """head.py's bce_loss: clamp, softplus terms, sum over classes, mean over the batch."""
    logits = logits.clamp(-strict, strict)
    p_loss = torch.log(1 + torch.exp(-logits))
    n_loss = torch.log(1 + torch.exp(logits)) * l
    return (positive * p_loss + negative * n_loss).sum(dim=1).mean()


def class_balanced(counts, beta):
    w = (1.0 - beta) / (1.0 - np.power(beta, counts))
    return w / np.sum(w) * len(counts)


cases = []
N, K = 4, 5
labels = [2, 0, 4, 2]
counts = [500, 120, 40, 11, 3]

# Cross-entropy: hard labels, DRW class weights, soft targets.
z = leaf((N, K), 3.0)
cases.append(case("ce", {"logits": z, "labels": labels}, F.cross_entropy(z, torch.tensor(labels))))
z = leaf((N, K), 3.0)
w = class_balanced(np.array(counts, dtype=np.float64), 0.9999)
cases.append(case("ce_weighted", {"logits": z, "labels": labels, "counts": counts},
                  F.cross_entropy(z, torch.tensor(labels), weight=torch.tensor(w)),
                  {"class_weights": [float(v) for v in w]}))
z = leaf((N, K), 3.0)
soft = torch.zeros(N, K, dtype=DOUBLE)
mix_b, lam = [1, 0, 3, 3], 0.3
for i in range(N):
    soft[i, labels[i]] += lam
    soft[i, mix_b[i]] += 1 - lam
cases.append(case("ce_soft", {"logits": z, "labels": labels, "labels_b": mix_b, "lambda": lam},
                  -(soft * F.log_softmax(z, dim=1)).sum(1).mean()))

# Focal (LDAM-DRW losses.py: focal_loss(F.cross_entropy(reduction='none'), gamma)).
for gamma in (1.0, 2.0):
    z = leaf((N, K), 3.0)
    ce = F.cross_entropy(z, torch.tensor(labels), reduction="none")
    p = torch.exp(-ce)
    cases.append(case(f"focal_{gamma:g}", {"logits": z, "labels": labels, "gamma": gamma},
                      ((1 - p) ** gamma * ce).mean()))

# LDAM (losses.py LDAMLoss) with and without DRW weights.
m_list = 1.0 / np.sqrt(np.sqrt(np.array(counts, dtype=np.float64)))
m_list = m_list * (0.5 / np.max(m_list))
for drw in (False, True):
    cos = leaf((N, K), 1.0)
    index = F.one_hot(torch.tensor(labels), K).bool()
    batch_m = torch.tensor(m_list)[torch.tensor(labels)].view(-1, 1)
    output = torch.where(index, cos - batch_m, cos)
    weight = torch.tensor(class_balanced(np.array(counts, dtype=np.float64), 0.9999)) if drw else None
    cases.append(case("ldam_drw" if drw else "ldam", {"cosines": cos, "labels": labels, "counts": counts},
                      F.cross_entropy(30 * output, torch.tensor(labels), weight=weight),
                      {"margins": [float(v) for v in m_list]}))

# Balanced Softmax: CE on z + log n.
z = leaf((N, K), 3.0)
cases.append(case("balanced_softmax", {"logits": z, "labels": labels, "counts": counts},
                  F.cross_entropy(z + torch.log(torch.tensor(counts, dtype=DOUBLE)), torch.tensor(labels))))

# BCE joint on a partial class set, with logits beyond the ±64 clamp.
z = leaf((N, K), 3.0)
with torch.no_grad():
    z[0, 1] = 70.0   # clamped (gradient 0), inside the class set
    z[1, 3] = -80.0  # clamped, outside the class set
class_set = [0, 1, 2, 4]
onehot = F.one_hot(torch.tensor(labels), K).to(DOUBLE)
mask = torch.zeros(K, dtype=DOUBLE)
mask[class_set] = 1
cases.append(case("bce_partial", {"logits": z, "labels": labels, "class_set": class_set},
                  bce_loss(z[:, class_set], onehot[:, class_set], 1 - onehot[:, class_set])))
# BCE on mixed soft targets: negatives only where the target is 0 (neg_mask = onehot == 0), l = 0.5.
z = leaf((N, K), 3.0)
cases.append(case("bce_soft", {"logits": z, "labels": labels, "labels_b": mix_b, "lambda": lam, "l": 0.5},
                  bce_loss(z, soft, (soft == 0).to(DOUBLE), l=0.5)))

# Normalised head: F.linear(f, F.normalize(W, eps=1e-5), b); one row of W below the eps.
f = leaf((N, 3), 2.0)
W = leaf((K, 3), 1.0)
b = leaf((K,), 0.5)
with torch.no_grad():
    W[3] = torch.tensor([1e-6, -2e-6, 3e-6], dtype=DOUBLE)
logits = F.linear(f, F.normalize(W, eps=1e-5), b)
cases.append(case("normalized_head_bce", {"features": f, "weight": W, "bias": b, "labels": labels},
                  bce_loss(logits, onehot, 1 - onehot)))

# Uniform term (head.py UniformLearning), BCE form with s = 1 and s = 2; CE form.
for s in (1.0, 2.0):
    W = leaf((K, 3), 1.0)
    S = s * F.linear(F.normalize(W, eps=1e-5), F.normalize(W, eps=1e-5))
    eye = torch.eye(K, dtype=torch.bool)
    cc = eye * torch.log(1 + torch.exp(-S)) + (~eye) * torch.log(1 + torch.exp(S))
    cases.append(case(f"uniform_bce_{s:g}", {"weight": W, "scale": s}, cc.sum(dim=1).mean()))
W = leaf((K, 3), 1.0)
S = F.linear(F.normalize(W, eps=1e-5), F.normalize(W, eps=1e-5))
cases.append(case("uniform_ce", {"weight": W, "scale": 1.0}, F.cross_entropy(S, torch.arange(K))))

# Contrastive: cos(P, M)/τ against a memory with a never-filled (zero) row, BCE on soft targets.
P = leaf((N, 6), 1.0)
memory = leaf((K, 6), 1.0).detach()
memory[2] = 0
tau = 0.5
logits = F.linear(F.normalize(P, eps=1e-5), F.normalize(memory, eps=1e-5)) / tau
cases.append(case("contrastive_bce", {"projections": P, "memory": memory, "temperature": tau,
                                        "labels": labels, "labels_b": mix_b, "lambda": lam},
                  bce_loss(logits, soft, (soft == 0).to(DOUBLE))))

# Stage 2 (head.py 'bce' mode): per-sample class-balanced weight, partial class set.
z = leaf((N, K), 3.0)
w = class_balanced(np.array(counts, dtype=np.float64), 0.99999)
sample_w = torch.tensor(w)[torch.tensor(labels)].view(-1, 1)
class_set = [0, 2, 3, 4]
loss_el = onehot[:, class_set] * torch.log(1 + torch.exp(-z[:, class_set])) \
    + (1 - onehot[:, class_set]) * torch.log(1 + torch.exp(z[:, class_set]))
cases.append(case("stage2", {"logits": z, "labels": labels, "counts": counts, "class_set": class_set},
                  (loss_el * sample_w).sum(dim=1).mean(), {"class_weights": [float(v) for v in w]}))

# MaxNorm: τ = min + 0.1 (max − min) of the row norms, rows above it rescaled.
W = (torch.rand(K, 3) * 4 - 2).float().to(DOUBLE)
norms = W.norm(dim=1)
thresh = float(norms.min() + 0.1 * (norms.max() - norms.min()))
projected = W * torch.clamp(thresh / norms, max=1.0).view(-1, 1)
cases.append({"name": "maxnorm", "weight": {"shape": [K, 3], "values": flat(W)}, "threshold": thresh,
              "projected": flat(projected), "loss": 0.0})

# A whole BCE3S step (and its CE version) on features [x; x_mixup; x_cutmix] with r = 1:
# L = (L(x) + L(x_m) + L(x_c))/3 + 0.1·(L_ss(x_m) + L_ss(x_c)) + 1.0·L_cc, memory with an empty row.
B, D, P = 3, 4, 3
step_labels, step_b, step_lam, cut_w = [1, 4, 1], [0, 4, 2], 0.6, 0.75
feats = leaf((3 * B, D), 2.0)
W = leaf((K, D), 1.0)
b = leaf((K,), 0.5)
W1, b1, W2, b2 = leaf((D, D), 0.5), leaf((D,), 0.5), leaf((P, D), 0.5), leaf((P,), 0.5)
memory0 = leaf((K, P), 1.0).detach()
memory0[3] = 0


def mix_targets(weight):
    t = torch.zeros(B, K, dtype=DOUBLE)
    for i in range(B):
        t[i, step_labels[i]] += weight
        t[i, step_b[i]] += 1 - weight
    return t


for form in ("bce", "ce"):
    tensors = [feats, W, b, W1, b1, W2, b2]
    for t in tensors:
        t.grad = None
    origin, mixup, cutmix = torch.split(feats, [B, B, B])
    Wn = F.normalize(W, eps=1e-5)
    t0 = F.one_hot(torch.tensor(step_labels), K).to(DOUBLE)
    tm, tc = mix_targets(step_lam), mix_targets(cut_w)

    def term(logits, t):
        if form == "bce":
            return bce_loss(logits, t, (t == 0).to(DOUBLE))
        return -(t * F.log_softmax(logits, dim=1)).sum(1).mean()

    sc = (term(F.linear(origin, Wn, b), t0) + term(F.linear(mixup, Wn, b), tm) + term(F.linear(cutmix, Wn, b), tc)) / 3

    def project(x):
        return F.linear(F.relu(F.linear(x, W1, b1)), W2, b2)

    mem = F.normalize(memory0, eps=1e-5)
    ss = term(F.linear(F.normalize(project(mixup), eps=1e-5), mem), tm) \
        + term(F.linear(F.normalize(project(cutmix), eps=1e-5), mem), tc)
    S = F.linear(Wn, Wn)
    if form == "bce":
        eye = torch.eye(K, dtype=torch.bool)
        cc = (eye * torch.log(1 + torch.exp(-S)) + (~eye) * torch.log(1 + torch.exp(S))).sum(1).mean()
    else:
        cc = F.cross_entropy(S, torch.arange(K))
    total = sc + 0.1 * ss + 1.0 * cc
    total.backward()
    memory1 = memory0.clone()
    proj0 = project(origin).detach()
    for i in range(B):
        memory1[step_labels[i]] = proj0[i]
    entry = {"name": f"{form}3s_step", "loss": float(total.detach()), "sc": float(sc.detach()),
             "ss": float(ss.detach()), "cc": float(cc.detach()),
             "labels": step_labels, "labels_b": step_b, "lambda": step_lam, "cutmix_weight": cut_w,
             "memory_after": flat(memory1)}
    for key, t in zip(["features", "weight", "bias", "w1", "b1", "w2", "b2"], tensors):
        entry[key] = {"shape": list(t.shape), "values": flat(t)}
        entry["grad_" + key] = flat(t.grad)
    entry["memory"] = {"shape": [K, P], "values": flat(memory0)}
    cases.append(entry)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "loss_golden.json")
with open(path, "w") as out:
    json.dump({"generator": "make_loss_golden.py", "torch": torch.__version__, "cases": cases}, out, indent=1)
print(f"wrote {len(cases)} cases to {path}")
