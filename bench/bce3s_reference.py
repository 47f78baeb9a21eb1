"""BCE3S (METHOD.md §3) in PyTorch, written from METHOD.md alone, for `torch_reference_train.py`.

Stage 1, per step of B unmixed images (x, y) from the epoch's shuffle:
- a second batch (x₂, y₂) of B images from an instance sampler with replacement (sample weights
  n_y^(−ρ), ρ = `sampler_power`, 0 = uniform over samples), crop + flip like the first;
- λ ~ Beta(1, 1) once per step; mixup x_m = λx + (1−λ)x₂; CutMix x_c = x with one box of x₂
  (side ratio √(1−λ), uniform centre, clipped; one box for the whole batch); soft target
  λ·y + (1−λ)·y₂ for both (`cutmix_target="area"`: 1 − box area / image area for CutMix);
- one forward pass over [x; x_m; x_c] (BN statistics over 3B);
- joint: z_k = ŵ_k·f + b_k clamped to ±64, Σ_k [t_k·softplus(−z_k) + [t_k = 0]·softplus(z_k)],
  mean over the batch; on x only over the class set S (all classes present in y plus uniformly
  drawn absent ones up to ⌊r·K⌋; all positives are kept when more are present); on x_m and x_c
  over all K classes. L_sc = mean of the three;
- contrastive: P = Linear(d, d) → ReLU → Linear(d, 128) on f; logits cos(P(f), M_k)/τ (τ = 1)
  for x_m and x_c against every row of the memory M (zero rows give cosine 0), same BCE form and
  soft targets; L_ss = L(x_m) + L(x_c), left out in epoch 0; after the optimiser step, row y_i
  of M becomes P(f_i) of this step's forward pass (unmixed samples, last occurrence wins);
- uniform: S = Ŵ Ŵᵀ, L_cc = (1/K) Σ_k [softplus(−S_kk) + Σ_{j≠k} softplus(S_kj)];
- total L = L_sc + 0.1·L_ss + 1.0·L_cc.

Stage 2 (optional): backbone frozen but in training mode (BN running statistics still move),
W and b trained with the partial BCE (same rule, r = `stage2_negative_ratio`), each sample's
terms weighted by w_y = (1−β)/(1−β^{n_y}) normalised to sum K (β = 0.99999); SGD 1e-4, momentum
0.9, no weight decay, epoch-wise cosine to 0, batch 64, plain shuffle, crop + flip; MaxNorm
after every epoch (rows of W longer than min‖w‖ + 0.1·(max‖w‖ − min‖w‖), measured once before
stage 2, are rescaled to it).

Model: LDAM-DRW's ResNet-32; its `linear` layer is the classifier (weights Kaiming-normal as
LDAM-DRW initialises every conv and linear weight, bias U(±1/√d), PyTorch's default), used with
row-normalised weights. The projection head gets the same treatment (Kaiming-normal weights,
default biases). `head_init="authors"` instead initialises both heads as the BCE3S code's
`head.py` does (classifier N(0, 1/d), projection PyTorch's default), as ours does. Weight decay applies to every trainable parameter, as the `ldam` recipe does.
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

LOGIT_CLAMP = 64.0
CONTRASTIVE_WEIGHT = 0.1
UNIFORM_WEIGHT = 1.0
PROJECTION_DIMENSION = 128
NORM_FLOOR = 1e-5
STAGE2 = {"batch": 64, "lr": 1e-4, "momentum": 0.9, "beta": 0.99999, "max_norm_fraction": 0.1}


class BCE3SNet(nn.Module):
    """Backbone features f, normalised classifier logits ŵ_k·f + b_k, projection P(f)."""

    def __init__(self, backbone, head_init="kaiming"):
        """`head_init`: "kaiming" gives the classifier and the projection Kaiming-normal weights
        N(0, 2/fan_in), as LDAM-DRW's `_weights_init` would; "authors" follows the BCE3S code's
        `head.py` (a module of its own, outside the backbone's init): classifier N(0, 1/d)
        (`kaiming_normal_(a=1)`), projection with PyTorch's default `nn.Linear` init."""
        super().__init__()
        self.backbone = backbone
        d = backbone.linear.in_features
        self.projection = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, PROJECTION_DIMENSION))
        if head_init == "kaiming":
            for layer in self.projection:
                if isinstance(layer, nn.Linear):
                    nn.init.kaiming_normal_(layer.weight)
        elif head_init == "authors":
            nn.init.kaiming_normal_(backbone.linear.weight, a=1)
        else:
            raise ValueError(f"head_init: expected kaiming or authors, got {head_init!r}")

    def normalised_weight(self):
        w = self.backbone.linear.weight
        return w / w.norm(dim=1, keepdim=True).clamp_min(NORM_FLOOR)

    def logits(self, features):
        return features @ self.normalised_weight().t() + self.backbone.linear.bias

    def forward(self, x):
        return self.logits(self.backbone.features(x))


def bce_terms(logits, targets, class_mask=None, sample_weight=None):
    """Mean over the batch of Σ_k [t_k·softplus(−z_k) + [t_k = 0]·softplus(z_k)] (k in the mask)."""
    per_class = targets * F.softplus(-logits) + (targets == 0).to(logits.dtype) * F.softplus(logits)
    if class_mask is not None:
        per_class = per_class * class_mask.to(logits.dtype)
    per_sample = per_class.sum(1)
    if sample_weight is not None:
        per_sample = per_sample * sample_weight
    return per_sample.mean()


def negative_class_mask(labels, classes, ratio, generator):
    """S: every class present in `labels`, plus uniformly drawn absent classes up to ⌊ratio·K⌋."""
    present = torch.bincount(labels, minlength=classes) > 0
    size = min(classes, int(math.floor(ratio * classes + 1e-9)))
    missing = size - int(present.sum())
    if missing > 0:
        absent = (~present).nonzero().flatten()
        present[absent[torch.randperm(len(absent), generator=generator)[:missing]]] = True
    return present


def uniform_loss(normalised_weight, scale=1.0):
    """(1/K) Σ_k [softplus(−S_kk) + Σ_{j≠k} softplus(S_kj)], S = s·Ŵ Ŵᵀ."""
    similarity = scale * normalised_weight @ normalised_weight.t()
    eye = torch.eye(len(similarity), dtype=torch.bool)
    return (F.softplus(-similarity[eye]).sum() + F.softplus(similarity[~eye]).sum()) / len(similarity)


def contrastive_logits(projected, memory, temperature=1.0):
    """cos(P(f), M_k)/τ against every memory row; zero rows (never filled) give 0."""
    return F.normalize(projected, dim=1) @ F.normalize(memory, dim=1).t() / temperature


def update_memory(memory, projected, labels):
    """Row y_i ← P(f_i); when a class occurs several times, the last occurrence wins."""
    for c in labels.unique().tolist():
        last = int((labels == c).nonzero().max())
        memory[c] = projected[last].detach()


def cutmix_box(lam, size, rng):
    """(top, bottom, left, right) of a box with side ratio √(1−λ) around a uniform centre, clipped."""
    cut = math.sqrt(1.0 - lam)
    h, w = int(size * cut), int(size * cut)
    cy, cx = int(rng.integers(size)), int(rng.integers(size))
    return (max(cy - h // 2, 0), min(cy + h // 2, size), max(cx - w // 2, 0), min(cx + w // 2, size))


class Step:
    """Everything one stage-1 step computes, kept for the per-epoch means and the first-step dump."""

    def __init__(self, joint_plain, joint_mixup, joint_cutmix, contrastive, uniform, projected_plain, labels):
        """`contrastive` / `uniform` are None when the term is off (epoch 0, or left out by `--without`)."""
        self.joint_plain, self.joint_mixup, self.joint_cutmix = joint_plain, joint_mixup, joint_cutmix
        self.joint = (joint_plain + joint_mixup + joint_cutmix) / 3
        self.contrastive, self.uniform = contrastive, uniform
        self.total = self.joint
        if uniform is not None:
            self.total = self.total + UNIFORM_WEIGHT * uniform
        if contrastive is not None:
            self.total = self.total + CONTRASTIVE_WEIGHT * contrastive
        self.projected_plain, self.labels = projected_plain.detach(), labels  # for the memory update after the step


class Trainer:
    """Stage 1 (and stage 2) of BCE3S on the `ldam` recipe; the caller owns data, schedule and evaluation."""

    def __init__(self, model, images, labels, counts, generator, rng, *, negative_ratio, cutmix_target, sampler_power,
                 augment, normalise, batch, without=()):
        self.model, self.images, self.labels, self.counts = model, images, labels, counts
        self.generator, self.rng = generator, rng
        self.negative_ratio, self.cutmix_target, self.batch = negative_ratio, cutmix_target, batch
        self.augment, self.normalise = augment, normalise
        self.use_contrastive, self.use_uniform = "contrastive" not in without, "uniform" not in without
        self.classes = len(counts)
        self.memory = torch.zeros(self.classes, PROJECTION_DIMENSION)
        class_weight = torch.tensor(counts, dtype=torch.float64) ** (-sampler_power)
        self.sample_weight = class_weight[labels]

    def view(self, index):
        """(augmented uint8 images, normalised float images) of the training images `index`."""
        raw = self.augment(self.images[index], self.generator)
        return raw, self.normalise(raw)

    def soft_targets(self, y, y2, lam):
        one_hot = F.one_hot(y, self.classes).float()
        return lam * one_hot + (1 - lam) * F.one_hot(y2, self.classes).float()

    def losses(self, index, epoch, record=None):
        """The step's terms on batch `index` (a Step with graph); fills `record` with the draws when given."""
        y = self.labels[index]
        second = torch.multinomial(self.sample_weight, len(index), replacement=True, generator=self.generator)
        y2 = self.labels[second]
        (raw, x), (raw2, x2) = self.view(index), self.view(second)
        lam = float(self.rng.beta(1.0, 1.0))
        x_mix = lam * x + (1 - lam) * x2
        top, bottom, left, right = cutmix_box(lam, x.shape[-1], self.rng)
        x_cut = x.clone()
        x_cut[:, :, top:bottom, left:right] = x2[:, :, top:bottom, left:right]
        lam_cut = lam if self.cutmix_target == "lambda" else 1 - (bottom - top) * (right - left) / x.shape[-1] ** 2
        mask = negative_class_mask(y, self.classes, self.negative_ratio, self.generator)

        features = self.model.backbone.features(torch.cat([x, x_mix, x_cut]).contiguous(memory_format=torch.channels_last))
        logits = self.model.logits(features).clamp(-LOGIT_CLAMP, LOGIT_CLAMP)
        b = len(index)
        t_plain = F.one_hot(y, self.classes).float()
        t_mix, t_cut = self.soft_targets(y, y2, lam), self.soft_targets(y, y2, lam_cut)
        projected = self.model.projection(features)
        contrastive, uniform = None, None
        if self.use_contrastive and epoch > 0:
            c_logits = contrastive_logits(projected[b:], self.memory)
            contrastive = bce_terms(c_logits[:b], t_mix) + bce_terms(c_logits[b:], t_cut)
        if self.use_uniform:
            uniform = uniform_loss(self.model.normalised_weight())
        step = Step(bce_terms(logits[:b], t_plain, mask), bce_terms(logits[b:2 * b], t_mix), bce_terms(logits[2 * b:], t_cut),
                    contrastive, uniform, projected[:b], y)
        if record is not None:
            record.update({"indices": index.tolist(), "second_indices": second.tolist(), "lambda": lam,
                           "lambda_cutmix": lam_cut, "cutmix_box_top_bottom_left_right": [top, bottom, left, right],
                           "negative_class_set": mask.nonzero().flatten().tolist(),
                           "input_sums": {"plain": float(x.double().sum()), "mixup": float(x_mix.double().sum()),
                                          "cutmix": float(x_cut.double().sum())},
                           "views_uint8": {"x": raw.numpy(), "x2": raw2.numpy()}})
        return step

    def train_epoch(self, optimizer, epoch, limit_steps=None, dump=None, progress=None):
        """One stage-1 epoch; returns the per-image means of the total and of each active term (unweighted)."""
        order = torch.randperm(len(self.labels), generator=self.generator)
        sums = {"loss": 0.0, "joint": 0.0}
        seen = 0
        for number, start in enumerate(range(0, len(order), self.batch)):
            if limit_steps is not None and number >= limit_steps:
                break
            index = order[start:start + self.batch]
            record = {} if dump is not None and number == 0 else None
            step = self.losses(index, epoch, record)
            if record is not None:
                dump(record, step)
            optimizer.zero_grad(set_to_none=True)
            step.total.backward()
            optimizer.step()
            update_memory(self.memory, step.projected_plain, step.labels)
            n = len(index)
            seen += n
            for key, value in [("loss", step.total), ("joint", step.joint), ("contrastive", step.contrastive),
                               ("uniform", step.uniform)]:
                if value is not None:
                    sums[key] = sums.get(key, 0.0) + number_of(value) * n
            if progress is not None:
                progress(number, {k: v / seen for k, v in sums.items()}, step)
        means = {k: v / seen for k, v in sums.items()}
        return means.pop("loss"), means

    def stage2(self, epochs, negative_ratio, limit_steps=None, log=None):
        """Classifier re-balancing; returns the per-epoch history (stage 2, learning rate, loss)."""
        head = self.model.backbone.linear
        for p in self.model.parameters():
            p.requires_grad_(False)
        head.weight.requires_grad_(True)
        head.bias.requires_grad_(True)
        optimizer = torch.optim.SGD([head.weight, head.bias], lr=STAGE2["lr"], momentum=STAGE2["momentum"], weight_decay=0)
        beta = STAGE2["beta"]
        weight = torch.tensor([(1 - beta) / (1 - beta ** n) for n in self.counts], dtype=torch.float64)
        weight = (weight / weight.sum() * self.classes).float()
        norms = head.weight.detach().norm(dim=1)
        threshold = float(norms.min() + STAGE2["max_norm_fraction"] * (norms.max() - norms.min()))
        history = []
        self.model.train()
        for epoch in range(epochs):
            lr = STAGE2["lr"] * 0.5 * (1 + math.cos(math.pi * epoch / epochs))
            for group in optimizer.param_groups:
                group["lr"] = lr
            order = torch.randperm(len(self.labels), generator=self.generator)
            total, seen = 0.0, 0
            for number, start in enumerate(range(0, len(order), STAGE2["batch"])):
                if limit_steps is not None and number >= limit_steps:
                    break
                index = order[start:start + STAGE2["batch"]]
                y = self.labels[index]
                with torch.no_grad():
                    features = self.model.backbone.features(self.view(index)[1].contiguous(memory_format=torch.channels_last))
                mask = negative_class_mask(y, self.classes, negative_ratio, self.generator)
                logits = self.model.logits(features).clamp(-LOGIT_CLAMP, LOGIT_CLAMP)
                loss = bce_terms(logits, F.one_hot(y, self.classes).float(), mask, weight[y])
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                total += number_of(loss) * len(index)
                seen += len(index)
            with torch.no_grad():
                norms = head.weight.norm(dim=1, keepdim=True)
                head.weight.mul_(torch.where(norms > threshold, threshold / norms, torch.ones_like(norms)))
            history.append({"stage": 2, "epoch": epoch, "learning_rate": lr, "loss": total / seen, "terms": {}})
            if log is not None:
                log(history[-1])
        return history, threshold


def gradient_norms(model, step):
    """‖∂term/∂θ‖ over all trainable parameters, per term, for the first-step dump."""
    parameters = [p for p in model.parameters() if p.requires_grad]
    terms = {"joint_plain": step.joint_plain, "joint_mixup": step.joint_mixup, "joint_cutmix": step.joint_cutmix,
             "contrastive": step.contrastive, "uniform": step.uniform, "total": step.total}
    out = {}
    for name, value in terms.items():
        if value is None:
            continue
        grads = torch.autograd.grad(value, parameters, retain_graph=True, allow_unused=True)
        out[name] = float(torch.sqrt(sum((g.double() ** 2).sum() for g in grads if g is not None)))
    return out


def step_losses(step):
    """The step's terms as plain numbers (unweighted; `total` is the weighted sum that is optimised)."""
    return {"joint_plain": number_of(step.joint_plain), "joint_mixup": number_of(step.joint_mixup),
            "joint_cutmix": number_of(step.joint_cutmix), "joint": number_of(step.joint),
            "contrastive": None if step.contrastive is None else number_of(step.contrastive),
            "uniform": None if step.uniform is None else number_of(step.uniform), "total": number_of(step.total)}


def number_of(tensor):
    """A scalar tensor's value, outside the graph."""
    return tensor.detach().item()


def seeded_rng(seed):
    """NumPy stream for λ and the CutMix centre (torch has no seeded Beta sampler with a generator)."""
    return np.random.default_rng(seed)
