"""ResNet-32 for CIFAR exactly as LDAM-DRW's `models/resnet_cifar.py` defines it (METHOD.md §2).

Used by the side-by-side benchmark (`bench/torch_resnet32_bench.py`) and by the fixture scripts
that check our checkpoints load into PyTorch with `strict=True`. Parameter and buffer names are
the PyTorch reference names our safetensors checkpoints use: `conv1.weight`, `bn1.running_mean`,
`layer1.0.conv1.weight`, …, `linear.weight`, `linear.bias`.

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
    """3×3 conv 16 → BN → ReLU, three stages of BasicBlocks (16/32/64, strides 1/2/2), GAP, linear."""

    def __init__(self, blocks_per_stage, num_classes=10):
        super().__init__()
        self.in_planes = 16
        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.layer1 = self._make_layer(16, blocks_per_stage, stride=1)
        self.layer2 = self._make_layer(32, blocks_per_stage, stride=2)
        self.layer3 = self._make_layer(64, blocks_per_stage, stride=2)
        self.linear = nn.Linear(64, num_classes)
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


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def check_resnet32_parameter_count(model, num_classes=10):
    """Raise unless the model has ResNet-32's parameter count (464,154 for ten classes)."""
    expected = RESNET32_PARAMETERS_10_CLASSES - 650 + 65 * num_classes
    actual = parameter_count(model)
    if actual != expected:
        raise RuntimeError(f"PyTorch ResNet-32 has {actual} parameters, expected {expected}")
    return actual
