"""The Python way to count AAPE activations, for `./workbench bench` to compare against.

What a researcher would write with PyTorch alone (Debian's python3-torch, numpy; no timm, no
torchaudio): read the dataset CSV and its 16-bit WAVs, log-mel with torch.stft and a Slaney
mel filterbank, normalise with the checkpoint's norm_stats, cut into M2D chunks, run the ViT
with a hook on every block's GELU output and count, per layer x neuron x class, the tokens with
the neuron > 0, plus the tokens seen per class. Consecutive clips of equal length are batched,
as `./workbench count` does.

    /usr/bin/python3 src/test/python/count_python.py --model M.safetensors --data DATA.csv \
        --out COUNTS.npz [--batch 8] [--threads 2]

Reads the workbench's M2D safetensors (timm key names, float32 or float16, `__metadata__` with
heads, unit_frames and the log-mel preset). Writes over_zero [layers, neurons, classes] and
n [classes] (int64) to OUT.npz and prints one JSON line with its timings: load_s (weights),
count_s (decode + log-mel + forward + counting), clips.
"""
import argparse
import csv
import json
import os
import struct
import sys
import time
import wave

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_logmel_fixtures import EPS32, PRESETS, mel_filterbank  # noqa: E402
from make_model_fixtures import Block, PatchEmbed  # noqa: E402

PATCH = 16


def read_safetensors(path):
    """The tensors (as float32 torch tensors) and the metadata of a safetensors file."""
    with open(path, 'rb') as f:
        size = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(size))
        body = f.read()
    meta = header.pop('__metadata__', {})
    kinds = {'F32': np.float32, 'F16': np.float16, 'BF16': None, 'I64': np.int64}
    tensors = {}
    for name, h in header.items():
        lo, hi = h['data_offsets']
        kind = kinds[h['dtype']]
        if kind is None:
            raw = np.frombuffer(body[lo:hi], dtype=np.uint16).astype(np.uint32) << 16
            a = raw.view(np.float32)
        else:
            a = np.frombuffer(body[lo:hi], dtype=kind)
        tensors[name] = torch.from_numpy(a.astype(np.float32).reshape(h['shape']))
    return tensors, meta


class M2DCounter(torch.nn.Module):
    """The M2D ViT (timm names) with counting on every blocks.i.mlp.hook_post."""

    def __init__(self, w, heads):
        super().__init__()
        width = w['cls_token'].shape[-1]
        hidden = w['blocks.0.mlp.fc1.weight'].shape[0]
        depth = 1 + max(int(k.split('.')[1]) for k in w if k.startswith('blocks.'))
        self.width, self.depth, self.hidden = width, depth, hidden
        self.patch_embed = PatchEmbed(width)
        self.cls_token = torch.nn.Parameter(w['cls_token'])
        self.pos_embed = torch.nn.Parameter(w['pos_embed'])
        self.blocks = torch.nn.ModuleList([Block(width, heads, hidden) for _ in range(depth)])
        self.norm = torch.nn.LayerNorm(width, eps=1e-6)
        self.load_state_dict({k: v for k, v in w.items() if k != 'norm_stats'}, strict=False)

    def encode(self, x, hook):
        """x [B, 1, mel, frames] of one chunk; calls hook(name, act) like the fixtures' model."""
        t = self.patch_embed(x)
        fbins = x.shape[2] // PATCH
        pos = self.pos_embed[:, 1:, :]
        frames = t.shape[1] // fbins
        pos = pos.reshape(1, fbins, -1, self.width)[:, :, :frames, :].reshape(1, -1, self.width)
        t = t + pos
        cls = (self.cls_token + self.pos_embed[:, :1, :]).expand(t.shape[0], -1, -1)
        t = torch.cat((cls, t), dim=1)
        for i, blk in enumerate(self.blocks):
            t = blk(t, hook, i)
        return t


def read_wav(path):
    with wave.open(path, 'rb') as f:
        if f.getsampwidth() != 2:
            raise SystemExit(f'{path}: only 16-bit PCM WAV is read by this script')
        rate, channels = f.getframerate(), f.getnchannels()
        pcm = np.frombuffer(f.readframes(f.getnframes()), dtype='<i2').astype(np.float32)
    pcm = pcm.reshape(-1, channels).mean(axis=1) / 32768.0
    return pcm, rate


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', required=True)
    ap.add_argument('--data', required=True, help='CSV with file_name,label')
    ap.add_argument('--out', required=True)
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--threads', type=int, default=0, help='torch threads (0: default)')
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.set_grad_enabled(False)

    t0 = time.perf_counter()
    w, meta = read_safetensors(args.model)
    heads = int(meta.get('heads', 12))
    unit = int(meta.get('unit_frames', 208))
    p = PRESETS[meta.get('preset', 'm2d-16k')]
    mean, std = (float(v) for v in w['norm_stats'])
    model = M2DCounter(w, heads).eval()
    fb = torch.tensor(mel_filterbank(p['sr'], p['n_fft'], p['n_mels'], p['fmin'], p['fmax']),
                      dtype=torch.float32)
    window = torch.hann_window(p['win'], periodic=True)
    t1 = time.perf_counter()

    with open(args.data, newline='') as f:
        rows = list(csv.DictReader(f))
    base = os.path.dirname(os.path.abspath(args.data))
    classes = sorted({r['label'] for r in rows})
    index = {c: i for i, c in enumerate(classes)}
    over_zero = torch.zeros(model.depth, model.hidden, len(classes), dtype=torch.int64)
    n = np.zeros(len(classes), dtype=np.int64)

    def logmel(path):
        pcm, rate = read_wav(os.path.join(base, path))
        if rate != p['sr']:
            raise SystemExit(f'{path}: {rate} Hz; this script reads {p["sr"]} Hz WAVs only')
        spec = torch.stft(torch.from_numpy(pcm), n_fft=p['n_fft'], hop_length=p['hop'],
                          win_length=p['win'], window=window, center=True, pad_mode='reflect',
                          return_complex=True)
        lms = torch.log(fb @ (spec.abs() ** 2) + EPS32)
        return (lms - mean) / std

    def run(batch):
        x = torch.stack([b[0] for b in batch]).unsqueeze(1)  # [B, 1, mel, frames]
        labels = torch.tensor([b[1] for b in batch])
        onehot = torch.nn.functional.one_hot(labels, len(classes)).float()
        frames = x.shape[-1]
        x = torch.nn.functional.pad(x, (0, (PATCH - frames % PATCH) % PATCH))
        for start in range(0, x.shape[-1], unit):
            chunk = x[..., start:start + unit]

            def hook(name, act):
                if name.endswith('mlp.hook_post'):
                    layer = int(name.split('.')[1])
                    active = (act > 0).sum(dim=1).float()  # [B, neurons]
                    over_zero[layer] += (active.T @ onehot).long()
                    if layer == 0:
                        np.add.at(n, labels.numpy(), act.shape[1])
                return act

            model.encode(chunk, hook)

    batch, clips = [], 0
    for r in rows:
        lms = logmel(r['file_name'])
        if batch and (len(batch) == args.batch or batch[0][0].shape != lms.shape):
            run(batch)
            batch = []
        batch.append((lms, index[r['label']]))
        clips += 1
    if batch:
        run(batch)
    t2 = time.perf_counter()
    np.savez(args.out, over_zero=over_zero.numpy(), n=n, classes=np.array(classes))
    print(json.dumps({'clips': clips, 'load_s': round(t1 - t0, 3), 'count_s': round(t2 - t1, 3),
                      'threads': torch.get_num_threads(), 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
