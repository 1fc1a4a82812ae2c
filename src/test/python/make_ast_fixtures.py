"""Golden fixtures for io.anw.model.AstEncoder: a small Audio Spectrogram Transformer written here
in plain PyTorch from the published architecture (Gong et al. 2021; the Hugging Face ASTModel's
layout), random weights under the Hugging Face key names.

Run with Debian's python3-torch, python3-torchaudio and numpy:
    /usr/bin/python3 src/test/python/make_ast_fixtures.py

Input: torchaudio's Kaldi fbank (AST's options, 32 bins) of the committed speech WAV, its first 64
frames, normalised as AST's feature extractor does ((x - mean) / (2 std), mean -4.2677393, std
4.5689974). Model: 16x16 patches of [1, bins, frames] with strides 10 x 10 (2 x 5 = 10 patches,
frequency-major), CLS and distillation tokens, learnt positions, 2 pre-norm ViT blocks (width 32,
4 heads, FFN 64, exact GELU, layer-norm eps 1e-12), final layer norm. Writes
src/test/resources/model/ast_encoder.npz: w/<HF key>, input [1, 64, 32] (time x bins, as
ASTModel takes input_values), mlp_post_0 [1, 12, 64] and output [1, 12, 32] (last_hidden_state).
"""
import os
import wave

import numpy as np
import torch
import torchaudio
from torch import nn

HERE = os.path.dirname(__file__)
WAV = os.path.join(HERE, '..', 'resources', 'audio', 'speech-16k.wav')
OUT = os.path.join(HERE, '..', 'resources', 'model', 'ast_encoder.npz')
BINS, FRAMES, PATCH, STRIDE, D, HEADS, FFN, LAYERS, EPS = 32, 64, 16, 10, 32, 4, 64, 2, 1e-12


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.layernorm_before, self.layernorm_after = nn.LayerNorm(D, eps=EPS), nn.LayerNorm(D, eps=EPS)
        self.query, self.key, self.value = nn.Linear(D, D), nn.Linear(D, D), nn.Linear(D, D)
        self.out, self.fc1, self.fc2 = nn.Linear(D, D), nn.Linear(D, FFN), nn.Linear(FFN, D)

    def forward(self, x, seen, i):
        b, n, _ = x.shape
        h = self.layernorm_before(x)
        q, k, v = (t.view(b, n, HEADS, D // HEADS).transpose(1, 2)
                   for t in (self.query(h), self.key(h), self.value(h)))
        w = ((q @ k.transpose(-1, -2)) / (D // HEADS) ** 0.5).softmax(-1)
        x = x + self.out((w @ v).transpose(1, 2).reshape(b, n, D))
        a = nn.functional.gelu(self.fc1(self.layernorm_after(x)))
        seen[f'mlp_post_{i}'] = a
        return x + self.fc2(a)


def main():
    g = torch.Generator().manual_seed(13)
    with wave.open(WAV, 'rb') as f:
        x = np.frombuffer(f.readframes(f.getnframes()), dtype='<i2').astype(np.float32) / 32768.0
    fb = torchaudio.compliance.kaldi.fbank(torch.tensor(x).unsqueeze(0), htk_compat=True,
                                           sample_frequency=16000, use_energy=False,
                                           window_type='hanning', num_mel_bins=BINS, dither=0.0,
                                           frame_shift=10)[:FRAMES]
    inp = ((fb - (-4.2677393)) / (4.5689974 * 2)).unsqueeze(0)  # [1, frames, bins]
    proj = nn.Conv2d(1, D, PATCH, stride=(STRIDE, STRIDE))
    f_patches, t_patches = (BINS - PATCH) // STRIDE + 1, (FRAMES - PATCH) // STRIDE + 1
    cls, dist = torch.randn(1, 1, D, generator=g), torch.randn(1, 1, D, generator=g)
    pos = 0.5 * torch.randn(1, 2 + f_patches * t_patches, D, generator=g)
    blocks = nn.ModuleList([Block() for _ in range(LAYERS)])
    final = nn.LayerNorm(D, eps=EPS)
    with torch.no_grad():
        for module in [proj, final, *blocks]:
            for name, p in module.named_parameters():
                if 'layernorm' in name and name.endswith('weight') or module is final and name == 'weight':
                    p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
                elif name.endswith('bias'):
                    p.copy_(0.1 * torch.randn(p.shape, generator=g))
                else:
                    p.copy_(torch.randn(p.shape, generator=g) / p[0].numel() ** 0.5)
        e = proj(inp.unsqueeze(1).transpose(2, 3)).flatten(2).transpose(1, 2)  # frequency-major
        h = torch.cat([cls, dist, e], dim=1) + pos
        seen = {}
        for i, blk in enumerate(blocks):
            h = blk(h, seen, i)
        y = final(h)
    w = {'embeddings.cls_token': cls, 'embeddings.distillation_token': dist,
         'embeddings.position_embeddings': pos,
         'embeddings.patch_embeddings.projection.weight': proj.weight,
         'embeddings.patch_embeddings.projection.bias': proj.bias,
         'layernorm.weight': final.weight, 'layernorm.bias': final.bias}
    names = {'layernorm_before': 'layernorm_before', 'layernorm_after': 'layernorm_after',
             'query': 'attention.attention.query', 'key': 'attention.attention.key',
             'value': 'attention.attention.value', 'out': 'attention.output.dense',
             'fc1': 'intermediate.dense', 'fc2': 'output.dense'}
    for i, blk in enumerate(blocks):
        for k, t in blk.state_dict().items():
            mod, kind = k.split('.')
            w[f'encoder.layer.{i}.{names[mod]}.{kind}'] = t
    out = {'w/' + k: v.detach().numpy() for k, v in w.items()}
    out.update(input=inp.numpy(), mlp_post_0=seen['mlp_post_0'].numpy(), output=y.numpy())
    np.savez(OUT, **{k: np.ascontiguousarray(v) for k, v in out.items()})
    print('wrote', os.path.normpath(OUT), os.path.getsize(OUT), 'bytes;', tuple(y.shape))


if __name__ == '__main__':
    main()
