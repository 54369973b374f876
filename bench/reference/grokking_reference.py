"""PyTorch reference for the lab's benchmark: the same two models, written the way the usual
grokking code writes them (nn.Embedding + nn.Linear, F.cross_entropy, torch.optim.AdamW, full batch).

Prints one JSON object: {"ms_per_step": {"median", "min", "max"}, "device", "threads", "torch"}; with
--eval-every N also "ms_per_step_eval" (the same windows with an evaluation every N steps, timed
alternately with plain ones) and "eval_overhead" (its median over the plain median, minus 1).
Usage: python3 grokking_reference.py --model embed-mlp --p 97 --frac 0.4 [--device cpu|cuda] [--threads 1] [--eval-every 20]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class EmbedMLP(nn.Module):
    def __init__(self, p, d, hidden):
        super().__init__()
        self.embed = nn.Embedding(p, d)
        self.fc_in = nn.Linear(2 * d, hidden)
        self.fc_out = nn.Linear(hidden, p)

    def forward(self, a, b):
        x = torch.cat([self.embed(a), self.embed(b)], dim=-1)
        return self.fc_out(F.relu(self.fc_in(x)))


class Transformer1L(nn.Module):
    """Nanda et al.'s one-layer transformer: no LayerNorm, ReLU MLP, causal attention, logits at '='."""

    def __init__(self, p, d=128, heads=4, d_mlp=512):
        super().__init__()
        self.p, self.heads, self.d_head = p, heads, d // heads
        std = d ** -0.5
        self.W_E = nn.Parameter(torch.randn(p + 1, d) * std)
        self.W_pos = nn.Parameter(torch.randn(3, d) * std)
        self.W_Q = nn.Parameter(torch.randn(heads, d, self.d_head) * std)
        self.W_K = nn.Parameter(torch.randn(heads, d, self.d_head) * std)
        self.W_V = nn.Parameter(torch.randn(heads, d, self.d_head) * std)
        self.W_O = nn.Parameter(torch.randn(heads, self.d_head, d) * std)
        self.W_in = nn.Parameter(torch.randn(d, d_mlp) * std)
        self.b_in = nn.Parameter(torch.zeros(d_mlp))
        self.W_out = nn.Parameter(torch.randn(d_mlp, d) * d_mlp ** -0.5)
        self.b_out = nn.Parameter(torch.zeros(d))
        self.W_U = nn.Parameter(torch.randn(d, p + 1) * std)
        self.register_buffer("mask", torch.tril(torch.ones(3, 3)).bool())

    def forward(self, a, b):
        eq = torch.full_like(a, self.p)
        x = self.W_E[torch.stack([a, b, eq], dim=1)] + self.W_pos
        q = torch.einsum("npd,hde->nhpe", x, self.W_Q)
        k = torch.einsum("npd,hde->nhpe", x, self.W_K)
        v = torch.einsum("npd,hde->nhpe", x, self.W_V)
        scores = (q @ k.transpose(-1, -2)) / self.d_head ** 0.5
        attn = torch.softmax(scores.masked_fill(~self.mask, -1e5), dim=-1)
        x = x + torch.einsum("nhpe,hed->npd", attn @ v, self.W_O)
        x = x + F.relu(x @ self.W_in + self.b_in) @ self.W_out + self.b_out
        return (x[:, -1] @ self.W_U)[:, : self.p]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["embed-mlp", "transformer-1l"], required=True)
    ap.add_argument("--p", type=int, required=True)
    ap.add_argument("--frac", type=float, required=True)
    ap.add_argument("--d", type=int, default=128)
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--windows", type=int, default=5)
    ap.add_argument("--window-ms", type=float, default=1500)
    ap.add_argument("--eval-every", type=int, default=0)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    dev = torch.device(args.device)
    pairs = torch.cartesian_prod(torch.arange(args.p), torch.arange(args.p))
    perm = torch.randperm(len(pairs))
    n_train = round(args.frac * len(pairs))
    train = pairs[perm[:n_train]].to(dev)
    test = pairs[perm[n_train:]].to(dev)
    a, b = train[:, 0], train[:, 1]
    y = (a + b) % args.p
    if args.model == "embed-mlp":
        model = EmbedMLP(args.p, args.d, args.hidden).to(dev)
    else:
        model = Transformer1L(args.p, args.d, args.heads, args.hidden).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1.0, betas=(0.9, 0.98))

    def step():
        loss = F.cross_entropy(model(a, b), y)
        opt.zero_grad()
        loss.backward()
        opt.step()

    def evaluate():
        # What the usual grokking loop logs: loss and accuracy on both splits, read back as floats.
        with torch.no_grad():
            for split in (train, test):
                logits = model(split[:, 0], split[:, 1])
                target = (split[:, 0] + split[:, 1]) % args.p
                F.cross_entropy(logits, target).item()
                (logits.argmax(-1) == target).float().mean().item()

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    for _ in range(args.warmup):
        step()
    sync()
    t0 = time.perf_counter()
    step()
    step()
    sync()
    probe = (time.perf_counter() - t0) / 2
    per_window = max(1, round(args.window_ms / 1000 / max(probe, 1e-6)))
    if args.eval_every:
        # Whole evaluation intervals per window, so both kinds of window hold the same steps.
        per_window = args.eval_every * max(1, round(per_window / args.eval_every))

    def window(with_eval):
        t0 = time.perf_counter()
        for i in range(per_window):
            if with_eval and i % args.eval_every == 0:
                evaluate()
            step()
        sync()
        return (time.perf_counter() - t0) * 1000 / per_window

    times, eval_times = [], []
    for _ in range(args.windows):
        times.append(window(False))
        if args.eval_every:
            eval_times.append(window(True))
    def summary(t):
        return {"median": statistics.median(t), "min": min(t), "max": max(t)}

    extra = {}
    if args.eval_every:
        extra = {
            "eval_every": args.eval_every,
            "ms_per_step_eval": summary(eval_times),
            "eval_overhead": statistics.median(eval_times) / statistics.median(times) - 1,
        }
    print(json.dumps({
        "ms_per_step": summary(times),
        "device": str(dev),
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "steps_per_window": per_window,
        **extra,
    }))


if __name__ == "__main__":
    main()
