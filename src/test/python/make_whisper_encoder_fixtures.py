"""Golden fixtures for io.anw.model.WhisperEncoder: a small Whisper audio encoder written here in
plain PyTorch from the published architecture (Radford et al. 2022; OpenAI's whisper/model.py
AudioEncoder as described there), random weights, saved under both key layouts.

Run with Debian's python3-torch and numpy:
    /usr/bin/python3 src/test/python/make_whisper_encoder_fixtures.py

Encoder: conv1 (n_mels -> d, kernel 3, padding 1) + GELU, conv2 (d -> d, kernel 3, stride 2,
padding 1) + GELU, + sinusoidal positions (the checkpoint's buffer), pre-norm blocks
(x += out(attn(attn_ln(x))) with query/value biases and no key bias; x += mlp(mlp_ln(x)) with
a 4d GELU MLP), ln_post. Small dims: 80 mels, n_ctx 50 (100 input frames = 1 s), d 32, 4 heads,
2 blocks. Input: the Whisper log-mel of the committed tone WAV (whisper-tone-16k-80.f32).
Writes src/test/resources/model/whisper_encoder.npz:
  openai/<key>   OpenAI layout: conv1.*, conv2.*, positional_embedding,
                 blocks.{i}.attn.{query,key,value,out}.*, blocks.{i}.attn_ln.*, blocks.{i}.mlp.{0,2}.*,
                 blocks.{i}.mlp_ln.*, ln_post.*   (under 'encoder.' as in model_state_dict)
  hf/<key>       Hugging Face layout of the same weights: encoder.conv1.*, encoder.conv2.*,
                 encoder.embed_positions.weight, encoder.layers.{i}.self_attn.{q,k,v,out}_proj.*,
                 self_attn_layer_norm.*, fc1.*, fc2.*, final_layer_norm.*, encoder.layer_norm.*
  input [1, 80, 100], conv [1, 50, 32] (after the convolutions, before positions),
  mlp_post_0 [1, 50, 128] (block 0's GELU output), output [1, 50, 32] (after ln_post)
"""
import math
import os

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(__file__)
MELS, CTX, D, HEADS, LAYERS = 80, 50, 32, 4, 2
OUT = os.path.join(HERE, '..', 'resources', 'model', 'whisper_encoder.npz')
INPUT = os.path.join(HERE, '..', 'resources', 'audio', 'whisper-tone-16k-80.f32')


def sinusoids(length, channels, max_timescale=10000):
    increment = math.log(max_timescale) / (channels // 2 - 1)
    inv = torch.exp(-increment * torch.arange(channels // 2))
    t = torch.arange(length)[:, None] * inv[None, :]
    return torch.cat([torch.sin(t), torch.cos(t)], dim=1)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query, self.key = nn.Linear(D, D), nn.Linear(D, D, bias=False)
        self.value, self.out = nn.Linear(D, D), nn.Linear(D, D)

    def forward(self, x):
        b, n, _ = x.shape
        q, k, v = (t.view(b, n, HEADS, D // HEADS).transpose(1, 2)
                   for t in (self.query(x), self.key(x), self.value(x)))
        w = (q @ k.transpose(-1, -2)) / math.sqrt(D // HEADS)
        return self.out((w.softmax(-1) @ v).transpose(1, 2).reshape(b, n, D))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn, self.attn_ln = Attention(), nn.LayerNorm(D)
        self.mlp = nn.Sequential(nn.Linear(D, 4 * D), nn.GELU(), nn.Linear(4 * D, D))
        self.mlp_ln = nn.LayerNorm(D)

    def forward(self, x, seen, i):
        x = x + self.attn(self.attn_ln(x))
        h = self.mlp[1](self.mlp[0](self.mlp_ln(x)))
        seen[f'mlp_post_{i}'] = h
        return x + self.mlp[2](h)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(MELS, D, 3, padding=1)
        self.conv2 = nn.Conv1d(D, D, 3, stride=2, padding=1)
        self.register_buffer('positional_embedding', sinusoids(CTX, D))
        self.blocks = nn.ModuleList([Block() for _ in range(LAYERS)])
        self.ln_post = nn.LayerNorm(D)

    def forward(self, mel, seen):
        x = nn.functional.gelu(self.conv1(mel))
        x = nn.functional.gelu(self.conv2(x)).permute(0, 2, 1)
        seen['conv'] = x
        x = x + self.positional_embedding
        for i, blk in enumerate(self.blocks):
            x = blk(x, seen, i)
        return self.ln_post(x)


def hf_name(key):
    key = key.replace('positional_embedding', 'embed_positions.weight')
    for a, b in (('attn.query', 'self_attn.q_proj'), ('attn.key', 'self_attn.k_proj'),
                 ('attn.value', 'self_attn.v_proj'), ('attn.out', 'self_attn.out_proj'),
                 ('attn_ln', 'self_attn_layer_norm'), ('mlp.0', 'fc1'), ('mlp.2', 'fc2'),
                 ('mlp_ln', 'final_layer_norm'), ('ln_post', 'layer_norm'), ('blocks.', 'layers.')):
        key = key.replace(a, b)
    return 'encoder.' + key


def main():
    g = torch.Generator().manual_seed(11)
    enc = Encoder().eval()
    with torch.no_grad():
        for name, p in enc.named_parameters():
            if 'ln' in name and name.endswith('weight'):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith('bias'):
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) / (p[0].numel() ** 0.5))
        mel = torch.tensor(np.fromfile(INPUT, dtype='<f4').reshape(MELS, -1)).unsqueeze(0)
        assert mel.shape[-1] == 2 * CTX, mel.shape
        seen = {}
        y = enc(mel, seen)
    out = {}
    for k, v in enc.state_dict().items():
        out['openai/encoder.' + k] = v.numpy()
        out['hf/' + hf_name(k)] = v.numpy()
    out['input'] = mel.numpy()
    out['conv'] = seen['conv'].numpy()
    out['mlp_post_0'] = seen['mlp_post_0'].numpy()
    out['output'] = y.numpy()
    np.savez(OUT, **{k: np.ascontiguousarray(v) for k, v in out.items()})
    print('wrote', os.path.normpath(OUT), os.path.getsize(OUT), 'bytes;', tuple(y.shape))


if __name__ == '__main__':
    main()
