"""PyTorch eager reference for the Linen benchmark: the throughput cases of Bench/Cases, written as a PyTorch user
writes them, so that the README can quote PyTorch numbers measured on the same machine as Linen.Bench.

Cases (mirroring Bench/Cases and the hand-written TorchSharp baseline in Bench/Baseline, op for op):
  mlp        MLP 784-300-300-10 with SELU, one training step at batch 128 (cross-entropy, backward, Adam 1e-3)
  lenet      LeNet-5 on 28x28x1, one training step at batch 128, and inference at batch 1024
  vit-mnist  the ViT-MNIST preset (patch 4, width 64, 4 layers, 4 heads, MLP 128, dropout 0.1), training step, batch 128
  vit-b16    ViT-B/16 on 224x224x3, inference at batch 1 and 8

Timing follows Bench/Timing.cs: a warm-up of at least 20 calls (2 for ViT-B/16) and 3 s, a block sized from one
call to about --block-seconds, and the median of --runs blocks.

Run it with Debian's python3-torch and an optimised BLAS (Debian's PyTorch sends float32 matrix products to the
system libblas.so.3, the unoptimised reference BLAS unless e.g. libopenblas0-openmp is installed); for instance in a
Debian 13 (trixie) chroot with python3-torch and libopenblas0-openmp, from the repository root:
  chroot /opt/trixie python3 - mlp lenet < Bench/Reference/pytorch_reference.py
  chroot /opt/trixie python3 - --threads 2 --json - < Bench/Reference/pytorch_reference.py
Linen.Bench runs with the settings Linen gives every process (Functional/Core/Engine.cs): OpenMP workers spin
10,000 loops before they sleep, and glibc malloc keeps freed memory. For the same settings here (chroot passes the
environment on):
  GOMP_SPINCOUNT=10000 GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824
The header prints these settings and the BLAS library that float32 matrix products went to.
"""

import argparse
import json
import math
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

CASES = ("mlp", "lenet", "vit-mnist", "vit-b16")
WARMUP_SECONDS = 3.0
WARMUP_CALLS = 20
VIT_B16_WARMUP_CALLS = 2
ENV_VARS = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "GLIBC_TUNABLES")


# ---------------------------------------------------------------------------------------------------------- timing


def timed_block(body, calls):
    """Wall seconds, process CPU seconds (all threads) and minor page faults of `calls` calls of `body`."""
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    cpu = time.process_time()
    start = time.perf_counter()
    for _ in range(calls):
        body()
    wall = time.perf_counter() - start
    return wall, time.process_time() - cpu, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults


def measure(body, options, warmup_calls=WARMUP_CALLS):
    """Per-call medians over `options.runs` blocks of about `options.block_seconds`, after the warm-up."""
    start = time.perf_counter()
    calls = 0
    while calls < warmup_calls or time.perf_counter() - start < WARMUP_SECONDS:
        body()
        calls += 1
    single, _, _ = timed_block(body, 1)
    calls = max(1, round(options.block_seconds / single))
    blocks = [timed_block(body, calls) for _ in range(options.runs)]
    wall, cpu, faults = (statistics.median(column) / calls for column in zip(*blocks))
    return {"secondsPerCall": wall, "cpuSecondsPerCall": cpu, "faultsPerCall": faults, "callsPerBlock": calls}


def throughput(case, metric, unit, timing, items):
    return {"case": case, "metric": metric, "unit": unit, "value": items / timing["secondsPerCall"], **timing}


# ------------------------------------------------------------------------------------------------------------ data


def labels(count, classes):
    """Random int64 class labels (the data is random, as in Bench/SyntheticData.cs: loading is not measured)."""
    return torch.randint(0, classes, (count,))


def images(batch_size, height, width, channels, contiguous):
    """NCHW images. Like Bench/SyntheticData.ToNchw, by default the permuted view of NHWC data, which keeps
    channels-last strides (the C# baseline's fastest layout); with `contiguous`, the row-major NCHW tensor a
    torchvision data loader gives."""
    nchw = torch.randn(batch_size, height, width, channels).permute(0, 3, 1, 2)
    return nchw.contiguous() if contiguous else nchw


# ---------------------------------------------------------------------------------------------------------- models


def mlp():
    return nn.Sequential(
        nn.Flatten(), nn.Linear(784, 300), nn.SELU(), nn.Linear(300, 300), nn.SELU(), nn.Linear(300, 10))


def lenet():
    # VALID convolutions (PyTorch's default padding 0): a 28x28 input flattens to 16*4*4 = 256 features.
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(),
        nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


class EncoderBlock(nn.Module):
    """Pre-norm block as in Models/Vit/EncoderBlock.cs and Bench/Baseline/TorchVit.cs: x + Dropout(MHA(LN(x))), then
    x + Dropout(Dense(Dropout(GELU_tanh(Dense(LN(x)))))). Attention is spelled out (q/k/v projections, matmul,
    softmax, matmul, output projection) rather than F.scaled_dot_product_attention, to run the baseline's ops."""

    def __init__(self, width, heads, mlp_dim, dropout, eps):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.norm0 = nn.LayerNorm(width, eps=eps)
        self.query, self.key, self.value, self.out = (nn.Linear(width, width) for _ in range(4))
        self.norm2 = nn.LayerNorm(width, eps=eps)
        self.mlp0, self.mlp1 = nn.Linear(width, mlp_dim), nn.Linear(mlp_dim, width)

    def attention(self, x):
        batch_size, width = x.shape[0], x.shape[-1]
        depth = width // self.heads

        def split(projection):
            return projection(x).view(batch_size, -1, self.heads, depth).transpose(1, 2)

        query, key, value = split(self.query), split(self.key), split(self.value)
        weights = (query / math.sqrt(depth)).matmul(key.transpose(-2, -1)).softmax(-1)
        return self.out(weights.matmul(value).transpose(1, 2).reshape(batch_size, -1, width))

    def forward(self, x):
        x = x + F.dropout(self.attention(self.norm0(x)), self.dropout, self.training)
        y = F.dropout(F.gelu(self.mlp0(self.norm2(x)), approximate="tanh"), self.dropout, self.training)
        return x + F.dropout(self.mlp1(y), self.dropout, self.training)


class VisionTransformer(nn.Module):
    """Models/Vit/VisionTransformer.cs: a strided patch convolution, a learned CLS token prepended, learned position
    embeddings, dropout, pre-norm blocks, a final LayerNorm (eps 1e-6, Flax's) and the head on the CLS token."""

    def __init__(self, image_size, channels, patch, width, layers, heads, mlp_dim, classes, dropout=0.1, eps=1e-6):
        super().__init__()
        self.dropout = dropout
        self.embedding = nn.Conv2d(channels, width, patch, stride=patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, width))
        self.positions = nn.Parameter(0.02 * torch.randn(1, (image_size // patch) ** 2 + 1, width))
        self.blocks = nn.ModuleList(EncoderBlock(width, heads, mlp_dim, dropout, eps) for _ in range(layers))
        self.norm = nn.LayerNorm(width, eps=eps)
        self.head = nn.Linear(width, classes)

    def forward(self, images):
        x = self.embedding(images).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], 1) + self.positions
        x = F.dropout(x, self.dropout, self.training)
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x)[:, 0])


def vit_mnist():
    return VisionTransformer(28, 1, patch=4, width=64, layers=4, heads=4, mlp_dim=128, classes=10)


def vit_b16():
    return VisionTransformer(224, 3, patch=16, width=768, layers=12, heads=12, mlp_dim=3072, classes=1000)


# ----------------------------------------------------------------------------------------------------------- cases


def train_step(model, inputs, targets):
    """The training step of Bench/Baseline/TorchTraining.cs: cross-entropy (mean), backward, Adam."""
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        optimizer.zero_grad()
        F.cross_entropy(model(inputs), targets).backward()
        optimizer.step()

    return step


def inference(model, inputs):
    model.eval()

    def call():
        with torch.no_grad():
            model(inputs)

    return call


def run_mlp(options):
    torch.manual_seed(1)
    timing = measure(train_step(mlp(), torch.randn(128, 784), labels(128, 10)), options)
    return [throughput("mlp", "train step, batch 128", "steps/s", timing, 1)]


def run_lenet(options):
    torch.manual_seed(2)
    train = train_step(lenet(), images(128, 28, 28, 1, options.contiguous_nchw), labels(128, 10))
    rows = [throughput("lenet", "train step, batch 128", "steps/s", measure(train, options), 1)]
    torch.manual_seed(3)
    infer = inference(lenet(), images(1024, 28, 28, 1, options.contiguous_nchw))
    rows.append(throughput("lenet", "inference, batch 1024", "images/s", measure(infer, options), 1024))
    return rows


def run_vit_mnist(options):
    torch.manual_seed(4)
    step = train_step(vit_mnist(), images(128, 28, 28, 1, options.contiguous_nchw), labels(128, 10))
    return [throughput("vit-mnist", "train step, batch 128", "steps/s", measure(step, options), 1)]


def run_vit_b16(options, batch_sizes=(1, 8)):
    torch.manual_seed(5)
    model = vit_b16()
    rows = []
    for batch_size in batch_sizes:
        call = inference(model, images(batch_size, 224, 224, 3, options.contiguous_nchw))
        timing = measure(call, options, warmup_calls=VIT_B16_WARMUP_CALLS)
        rows.append(throughput("vit-b16", f"inference, batch {batch_size}", "images/s", timing, batch_size))
    return rows


RUNNERS = {"mlp": run_mlp, "lenet": run_lenet, "vit-mnist": run_vit_mnist, "vit-b16": run_vit_b16}


# ---------------------------------------------------------------------------------------------------------- report


def blas_library():
    """The BLAS shared library mapped into this process: what F.linear's float32 matrix products run on."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1].lower()}
    return ", ".join(sorted(paths)) or "none mapped (statically linked)"


def load_average():
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def number(value):
    if abs(value) >= 1e6:
        return f"{value:.3E}"
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.4g}"


def format_row(row):
    return (f"{row['case']:<12} {row['metric']:<34} {number(row['value']):>12} {row['unit']:<9} "
            f"{row['cpuSecondsPerCall'] * 1e3:>12.3f} {row['faultsPerCall']:>12.0f}  "
            f"{row['callsPerBlock']} calls per block")


HEADER = f"{'case':<12} {'metric':<34} {'PyTorch':>12} {'unit':<9} {'cpu ms/call':>12} {'faults/call':>12}  note"


def parse_args():
    parser = argparse.ArgumentParser(
        prog="pytorch_reference.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", nargs="*", metavar="case", help=f"{', '.join(CASES)} (default: all)")
    parser.add_argument("--threads", type=int, default=2, help="intra-op threads (default 2)")
    parser.add_argument("--runs", type=int, default=21, help="timed blocks per measurement; the median is reported")
    parser.add_argument("--block-seconds", type=float, default=0.1, help="target length of one timed block")
    parser.add_argument("--contiguous-nchw", action="store_true",
                        help="feed row-major NCHW images instead of the C# baseline's channels-last view")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH ('-': stdout)")
    options = parser.parse_args()
    unknown = [name for name in options.cases if name not in CASES]
    if unknown:
        parser.error(f"unknown case {', '.join(unknown)}; cases: {', '.join(CASES)}")
    if options.threads < 1 or options.runs < 1 or options.block_seconds <= 0:
        parser.error("--threads and --runs must be at least 1 and --block-seconds positive")
    options.cases = options.cases or list(CASES)
    return options


def main():
    options = parse_args()
    torch.set_num_threads(options.threads)
    environment = {name: os.environ.get(name) for name in ENV_VARS}
    settings = "; ".join(f"{name}={value if value is not None else '(unset)'}" for name, value in environment.items())
    header = (f"PyTorch {torch.__version__}, {options.threads} threads of {os.cpu_count()} cores, "
              f"CPU capability {torch.backends.cpu.get_cpu_capability()}, median of {options.runs} runs; {settings}; "
              f"BLAS {blas_library()}")
    load_start = load_average()
    rows = []
    for name in options.cases:
        # Progress goes to stderr, so that stdout holds only the table (and the JSON of --json -).
        print(f"-- {name} (load average {load_average()})", file=sys.stderr, flush=True)
        for row in RUNNERS[name](options):
            print(format_row(row), file=sys.stderr, flush=True)
            rows.append(row)

    print(header)
    print(f"load average {load_start} at start, {load_average()} at end")
    print(HEADER)
    print("-" * len(HEADER))
    for row in rows:
        print(format_row(row))
    if options.json:
        document = json.dumps({
            "torch": torch.__version__, "threads": options.threads, "cores": os.cpu_count(),
            "cpuCapability": torch.backends.cpu.get_cpu_capability(), "environment": environment,
            "blas": blas_library(), "runs": options.runs, "blockSeconds": options.block_seconds,
            "contiguousNchw": options.contiguous_nchw, "loadAverageStart": load_start, "loadAverageEnd": load_average(),
            "rows": rows,
        }, indent=2)
        if options.json == "-":
            print(document)
        else:
            with open(options.json, "w") as out:
                out.write(document + "\n")


if __name__ == "__main__":
    main()
