"""PyTorch CPU reference for RNN Lab's training benchmark: the same workloads, in ONE configuration
chosen by the caller (bench/torch-rival.ts runs this script once per configuration and keeps the best).

  python3 bench/torch_rnn.py --threads 1 --epochs 6 [--only A,B]

The environment decides the BLAS threads (OPENBLAS_NUM_THREADS) and ATen's SIMD level
(ATEN_CPU_CAPABILITY). Samples per second: the median over epochs 2..N (the first warms up).
Prints one JSON line: {"config": {...what this process really used...}, "results": {id: samples/s}}.
Debian: apt-get install python3-torch."""
import argparse
import ctypes
import json
import os
import statistics
import time

import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--epochs", type=int, default=6)
parser.add_argument("--only", default="")
args = parser.parse_args()

torch.manual_seed(1)
torch.set_num_threads(args.threads)


def blas_in_use():
    """The BLAS shared library mapped into this process, and OpenBLAS's core type and config."""
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and ".so" in line})
    info = {"libraries": libs}
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in ("openblas_get_corename", "openblas_get_config"):
            fn = getattr(lib, name, None)
            if fn is not None:
                fn.restype = ctypes.c_char_p
                info[name.replace("openblas_get_", "")] = fn().decode()
        nthreads = getattr(lib, "openblas_get_num_threads", None)
        if nthreads is not None:
            info["threads"] = nthreads()
    return info


class CharLM(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(65, 128, batch_first=True)
        self.out = nn.Linear(128, 65)

    def forward(self, x):
        return self.out(self.rnn(x)[0])


class ManyToOne(nn.Module):
    def __init__(self, cell, features, units):
        super().__init__()
        kind = {"lstm": nn.LSTM, "gru": nn.GRU, "simple_rnn": nn.RNN}[cell]
        self.rnn = kind(features, units, batch_first=True)
        self.out = nn.Linear(units, 1)

    def forward(self, x):
        return self.out(self.rnn(x)[0][:, -1])


def run(model, x, y, loss_fn, batch):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    n = x.shape[0]
    times = []
    for _ in range(args.epochs):
        t0 = time.perf_counter()
        perm = torch.randperm(n)
        for i in range(0, n, batch):
            idx = perm[i : i + batch]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
    return n / statistics.median(times[1:])


only = set(filter(None, args.only.split(",")))
want = lambda wid: not only or wid in only
results = {}
for wid, cell in (("A", "lstm"), ("A-gru", "gru")):
    if not want(wid):
        continue
    n = 64 * 6
    x = nn.functional.one_hot(torch.randint(0, 65, (n, 64)), 65).float()
    y = torch.randint(0, 65, (n, 64))
    ce = nn.CrossEntropyLoss()
    results[wid] = run(CharLM(cell), x, y, lambda out, t: ce(out.reshape(-1, 65), t.reshape(-1)), 64)
for wid, cell in (("B", "lstm"), ("B-gru", "gru")):
    if want(wid):
        n = 32 * 40
        results[wid] = run(ManyToOne(cell, 5, 64), torch.rand(n, 30, 5), torch.rand(n, 1), nn.MSELoss(), 32)
if want("C"):
    n = 32 * 200
    results["C"] = run(ManyToOne("simple_rnn", 1, 32), torch.rand(n, 20, 1), torch.rand(n, 1), nn.MSELoss(), 32)

config = {
    "torch": torch.__version__,
    "torchThreads": torch.get_num_threads(),
    "cpuCapability": torch.backends.cpu.get_cpu_capability() if hasattr(torch.backends, "cpu") else os.environ.get("ATEN_CPU_CAPABILITY", "default"),
    "mkldnn": torch.backends.mkldnn.is_available(),
    "blas": blas_in_use(),
}
print(json.dumps({"config": config, "results": results}))
