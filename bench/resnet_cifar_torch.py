"""The CIFAR backbones of METHOD.md §2 in PyTorch, with the reference models' state-dict names.

- ResNet-32 exactly as LDAM-DRW's `models/resnet_cifar.py` defines it: `conv1.weight`,
  `bn1.running_mean`, `layer1.0.conv1.weight`, …, `linear.weight`, `linear.bias`.
- GLMC's `resnet32` (`resnet32_glmc`): the same network at four times the width (64/128/256),
  as GLMC's `model/ResNet_cifar.py` builds it (`ResNet_modify`, `nf = 64`); our `resnet32-glmc`.
- ResNet-34-CIFAR as the BCE3S code builds it from torchvision's resnet34 (3×3 stride-1 conv1,
  no max-pool, 4×4 average pool), written out here with torchvision's module names (`layer2.0.
  downsample.0.weight`, `fc.weight`, …) and initialisation so that torchvision is not needed.

Used by the side-by-side benchmark (`bench/torch_resnet_bench.py`) and by the fixture scripts
that check our checkpoints load into PyTorch with `strict=True`.

Option-A shortcut: stride-2 subsampling `x[:, :, ::2, ::2]` and zero channels padded
symmetrically (planes // 4 on each side of the channel axis), as in the reference.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

# 3·16·9 + 2·16 + stages (23,360 + 88,192 + 351,488) + 64·10 + 10 for ten classes.
RESNET32_PARAMETERS_10_CLASSES = 464_154


class OptionAShortcut(nn.Module):
    """Identity-free shortcut: subsample by 2 and zero-pad channels from `planes // 2` to `planes`."""

    def __init__(self, planes):
        super().__init__()
        self.pad = planes // 4

    def forward(self, x):
        return F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad), "constant", 0)


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = OptionAShortcut(planes)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out = out + self.shortcut(x)
        return F.relu(out)


class ResNetCIFAR(nn.Module):
    """3×3 conv w → BN → ReLU, three stages of BasicBlocks (w/2w/4w, strides 1/2/2), GAP, linear;
    w = 16 for LDAM-DRW's ResNets, 64 for GLMC's."""

    def __init__(self, blocks_per_stage, num_classes=10, width=16):
        super().__init__()
        self.in_planes = width
        self.conv1 = nn.Conv2d(3, width, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.layer1 = self._make_layer(width, blocks_per_stage, stride=1)
        self.layer2 = self._make_layer(2 * width, blocks_per_stage, stride=2)
        self.layer3 = self._make_layer(4 * width, blocks_per_stage, stride=2)
        self.linear = nn.Linear(4 * width, num_classes)
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Conv2d)):
                nn.init.kaiming_normal_(m.weight)

    def _make_layer(self, planes, blocks, stride):
        layers = []
        for s in [stride] + [1] * (blocks - 1):
            layers.append(BasicBlock(self.in_planes, planes, s))
            self.in_planes = planes
        return nn.Sequential(*layers)

    def features(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        return F.avg_pool2d(out, out.size()[3]).flatten(1)

    def forward(self, x):
        return self.linear(self.features(x))


def resnet32(num_classes=10):
    """LDAM-DRW's ResNet-32: 5 BasicBlocks per stage, 0.46 M parameters for 10 classes."""
    return ResNetCIFAR(5, num_classes)


def resnet32_glmc(num_classes=10):
    """GLMC's ResNet-32: LDAM-DRW's network with 64/128/256 channels, 7.38 M backbone parameters."""
    return ResNetCIFAR(5, num_classes, width=64)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def check_resnet32_parameter_count(model, num_classes=10):
    """Raise unless the model has ResNet-32's parameter count (464,154 for ten classes)."""
    expected = RESNET32_PARAMETERS_10_CLASSES - 650 + 65 * num_classes
    actual = parameter_count(model)
    if actual != expected:
        raise RuntimeError(f"PyTorch ResNet-32 has {actual} parameters, expected {expected}")
    return actual


# GLMC's 4×-wide ResNet-32: 7,383,616 backbone parameters (our `resnet32-glmc` counts the same), plus
# the 256-wide linear head.
RESNET32_GLMC_BACKBONE_PARAMETERS = 7_383_616


def check_resnet32_glmc_parameter_count(model, num_classes=10):
    """Raise unless the model has GLMC's ResNet-32 parameter count (7,386,186 for ten classes)."""
    expected = RESNET32_GLMC_BACKBONE_PARAMETERS + 257 * num_classes
    actual = parameter_count(model)
    if actual != expected:
        raise RuntimeError(f"PyTorch GLMC ResNet-32 has {actual} parameters, expected {expected}")
    return actual


# torchvision resnet34 has 21,797,672 parameters for 1000 classes with its 7×7 conv1; the CIFAR
# stem (3×3 conv, 1,728 instead of 9,408 weights) and a 100-class fc give this count.
RESNET34_CIFAR_PARAMETERS_100_CLASSES = 21_797_672 - 9_408 + 1_728 - 513_000 + 51_300


class TorchvisionBasicBlock(nn.Module):
    """torchvision.models.resnet.BasicBlock: two 3×3 conv+BN, projection `downsample` when needed."""

    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or in_planes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


class ResNet34CIFAR(nn.Module):
    """torchvision resnet34 layout with the CIFAR stem: conv1 3×3/1 (64), no max-pool, 4×4 avg-pool, fc."""

    def __init__(self, num_classes=100):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        in_planes, stages = 64, []
        for planes, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
            layer = []
            for s in [stride] + [1] * (blocks - 1):
                layer.append(TorchvisionBasicBlock(in_planes, planes, s))
                in_planes = planes
            stages.append(nn.Sequential(*layer))
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.avgpool = nn.AvgPool2d(4)
        self.fc = nn.Linear(512, num_classes)
        for m in self.modules():  # torchvision's initialisation (zero_init_residual=False)
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
        # The BCE3S code swaps in the 3×3 stem after torchvision built the model: PyTorch's default init.
        self.conv1.reset_parameters()

    def features(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.layer4(self.layer3(self.layer2(self.layer1(out))))
        return self.avgpool(out).flatten(1)

    def forward(self, x):
        return self.fc(self.features(x))


def resnet34_cifar(num_classes=100):
    return ResNet34CIFAR(num_classes)


def check_parameter_count(name, model, num_classes):
    """Raise unless `model` has the published parameter count of backbone `name` with `num_classes`."""
    if name == "resnet32":
        return check_resnet32_parameter_count(model, num_classes)
    if name == "resnet32-glmc":
        return check_resnet32_glmc_parameter_count(model, num_classes)
    expected = RESNET34_CIFAR_PARAMETERS_100_CLASSES - 513 * 100 + 513 * num_classes
    actual = parameter_count(model)
    if actual != expected:
        raise RuntimeError(f"PyTorch ResNet-34-CIFAR has {actual} parameters, expected {expected}")
    return actual


MODELS = {"resnet32": resnet32, "resnet32-glmc": resnet32_glmc, "resnet34": resnet34_cifar}
