"""PyTorch CPU reference for RNN Lab's training benchmark: the same workloads, samples per second
measured on the second epoch. Prints one JSON line {workload id: samples/s}. Debian: apt-get install python3-torch."""
import json
import time

import torch
from torch import nn

torch.manual_seed(1)
torch.set_num_threads(2)


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
    for _ in range(2):
        t0 = time.perf_counter()
        perm = torch.randperm(n)
        for i in range(0, n, batch):
            idx = perm[i : i + batch]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
    return n / times[1]


results = {}
for wid, cell in (("A", "lstm"), ("A-gru", "gru")):
    n = 64 * 6
    x = nn.functional.one_hot(torch.randint(0, 65, (n, 64)), 65).float()
    y = torch.randint(0, 65, (n, 64))
    ce = nn.CrossEntropyLoss()
    results[wid] = run(CharLM(cell), x, y, lambda out, t: ce(out.reshape(-1, 65), t.reshape(-1)), 64)
for wid, cell in (("B", "lstm"), ("B-gru", "gru")):
    n = 32 * 40
    results[wid] = run(ManyToOne(cell, 5, 64), torch.rand(n, 30, 5), torch.rand(n, 1), nn.MSELoss(), 32)
n = 32 * 200
results["C"] = run(ManyToOne("simple_rnn", 1, 32), torch.rand(n, 20, 1), torch.rand(n, 1), nn.MSELoss(), 32)
print(json.dumps(results))
