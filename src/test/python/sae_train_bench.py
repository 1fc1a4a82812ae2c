#!/usr/bin/env python3
"""The PyTorch side of scripts/bench-sae.jsh: a top-k SAE training loop of the same recipe and
sizes as the workbench's SaeTrainer, timed on the same cached activations.

Recipe (as the workbench): activations scaled to mean norm sqrt(d_in), b_dec initialised to the
scaled mean of the first batch, decoder rows unit-norm Gaussian, encoder = decoder transpose,
pre = (x - b_dec) W_enc + b_enc, the k largest relu(pre) per token kept, loss = per-token squared
error summed over d_in and averaged over the batch, Adam (0.9, 0.999), decoder rows renormalised
after every step. Prints one line: tokens/s over the timed steps, and the GFLOP/s of one
encoder-shaped matmul [batch, d_in] x [d_in, d_sae] (what the BLAS underneath gives).

Usage: sae_train_bench.py ROWS.npy D_SAE K BATCH STEPS WARMUP THREADS
"""
import sys
import time

import numpy as np
import torch


def main():
    path, d_sae, k, batch, steps, warmup, threads = sys.argv[1], *map(int, sys.argv[2:8])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    rows = torch.from_numpy(np.load(path)).float()
    n, d_in = rows.shape
    first = rows[:batch]
    scale = (d_in ** 0.5) / first.norm(dim=1).mean()
    w_dec = torch.randn(d_sae, d_in)
    w_dec /= w_dec.norm(dim=1, keepdim=True)
    w_enc = w_dec.t().clone()
    b_enc = torch.zeros(d_sae)
    b_dec = (first * scale).mean(dim=0)
    params = [w_enc, b_enc, w_dec, b_dec]
    for p in params:
        p.requires_grad_(True)
    opt = torch.optim.Adam(params, lr=3e-4, betas=(0.9, 0.999))
    t0 = None
    at = 0
    for step in range(warmup + steps):
        if step == warmup:
            t0 = time.perf_counter()
        if at + batch > n:
            at = 0
        x = rows[at:at + batch] * scale
        at += batch
        pre = (x - b_dec) @ w_enc + b_enc
        r = torch.relu(pre)
        kth = r.detach().topk(k, dim=-1).values[:, -1:]
        f = r * (r.detach() >= kth).float()
        x_hat = f @ w_dec + b_dec
        loss = (x - x_hat).pow(2).sum(dim=1).mean()
        opt.zero_grad()
        loss.backward()
        loss.item()
        opt.step()
        with torch.no_grad():
            w_dec /= w_dec.norm(dim=1, keepdim=True).clamp_min(1e-8)
    seconds = time.perf_counter() - t0
    a, b = torch.randn(batch, d_in), torch.randn(d_in, d_sae)
    a @ b
    t1 = time.perf_counter()
    for _ in range(3):
        a @ b
    gflops = 3 * 2 * batch * d_in * d_sae / (time.perf_counter() - t1) / 1e9
    print(f"pytorch {torch.__version__}: {steps * batch / seconds:.1f} tokens/s"
          f" (encoder-shape matmul {gflops:.1f} GFLOP/s)")


if __name__ == "__main__":
    main()
