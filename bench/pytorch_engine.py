#!/usr/bin/env python3
"""PyTorch side of the engine benchmark: the same models and training step as
`bce3s bench`, timed the same way, printed as one JSON object.

ResNet-32 follows LDAM-DRW models/resnet_cifar.py (option-A shortcuts, Kaiming-normal init);
ResNet-34-CIFAR is torchvision's resnet34 with a 3x3 stride-1 conv1, no max-pool and a 4x4
average pool. A training step is forward + cross-entropy + backward + SGD(momentum 0.9,
weight decay 2e-4); inference is a forward pass under no_grad in eval mode.
"""
import argparse, json, statistics, time
import torch, torch.nn as nn, torch.nn.functional as F


class BasicBlockA(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.pad = cout // 4 if (stride != 1 or cin != cout) else 0

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        short = F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad)) if self.pad else x
        return F.relu(out + short)


class ResNet32(nn.Module):
    def __init__(self, blocks=5, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for cout, stride in [(16, 1), (32, 2), (64, 2)]:
            stage = []
            for b in range(blocks):
                stage.append(BasicBlockA(cin, cout, stride if b == 0 else 1))
                cin = cout
            layers.append(nn.Sequential(*stage))
        self.layer1, self.layer2, self.layer3 = layers
        self.linear = nn.Linear(64, classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        out = F.avg_pool2d(out, out.size(3)).flatten(1)
        return self.linear(out)


def resnet34_cifar(classes=100):
    import torchvision
    m = torchvision.models.resnet34(num_classes=classes)
    m.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
    m.maxpool = nn.Identity()
    m.avgpool = nn.AvgPool2d(4)
    return m


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="resnet32", choices=["resnet32", "resnet34"])
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--no-channels-last", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    classes = 10 if a.model == "resnet32" else 100
    model = ResNet32(classes=classes) if a.model == "resnet32" else resnet34_cifar(classes)
    fmt = torch.contiguous_format if a.no_channels_last else torch.channels_last
    model = model.to(memory_format=fmt)
    x = torch.randn(a.batch, 3, 32, 32).to(memory_format=fmt)
    y = torch.randint(0, classes, (a.batch,))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=2e-4)

    def train_step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    def timed(fn):
        times = []
        for i in range(a.warmup + a.steps):
            t = time.perf_counter(); fn(); dt = time.perf_counter() - t
            if i >= a.warmup: times.append(dt)
        return a.batch / statistics.median(times)

    model.train()
    train = timed(train_step)
    model.eval()
    with torch.no_grad():
        infer = timed(lambda: model(x))
    print(json.dumps({"engine": f"pytorch {torch.__version__}", "model": a.model, "batch": a.batch,
                      "threads": a.threads, "channels_last": not a.no_channels_last,
                      "train_images_per_second": round(train, 1), "infer_images_per_second": round(infer, 1)}))


if __name__ == "__main__":
    main()
