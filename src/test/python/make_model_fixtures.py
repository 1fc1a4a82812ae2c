"""Golden fixtures for io.anw.model: a tiny random M2D audio ViT run in plain PyTorch.

Run with Debian's python3-torch (timm is not needed):
    /usr/bin/python3 src/test/python/make_model_fixtures.py

The modules below mirror timm's VisionTransformer pieces as M2D's portable runtime uses them
(examples/portable_m2d.py: PatchEmbed, forward_encoder, encode_lms), written out so that every
hook point can be recorded. Writes src/test/resources/model/m2d_tiny.npz with
  w/<param>            the state dict, wrapped as M2D saves it ({'model': ...} -> 'model.' keys)
                       plus non-encoder extras the loader must ignore
  <case>/input         normalised log-mel [batch, 1, 80, frames]
  <case>/features      stacked features [batch, time patches, 5 * width]
  <case>/cls           CLS output per chunk [batch, chunks, width]
  <case>/scene         scene embedding [batch, 5 * width]
  <case>/c<i>/<hook>   every hook point's activation in chunk i
"""
import math
import os

import numpy as np
import torch
from torch import nn

WIDTH, DEPTH, HEADS, MLP = 64, 2, 2, 256
MEL, PATCH, UNIT = 80, 16, 32          # unit of 32 frames = 2 time patches
NORM_STATS = [-5.0, 3.0]
OUT = os.path.join(os.path.dirname(__file__), '..', 'resources', 'model', 'm2d_tiny.npz')


class Recorder:
    """Collects activations by hook name for the current chunk."""

    def __init__(self):
        self.acts = {}

    def __call__(self, name, x):
        self.acts[name] = x.detach().clone()
        return x


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.scale = heads, (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=True)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, hook, prefix):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.heads, C // self.heads)
        # hook layout [B, N, H, dh]; timm permutes to [3, B, H, N, dh]
        q = hook(prefix + 'attn.hook_q', qkv[:, :, 0])
        k = hook(prefix + 'attn.hook_k', qkv[:, :, 1])
        v = hook(prefix + 'attn.hook_v', qkv[:, :, 2])
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        attn = (q @ k.transpose(-2, -1)) * self.scale
        attn = hook(prefix + 'attn.hook_pattern', attn.softmax(dim=-1))
        x = (attn @ v).transpose(1, 2).reshape(B, N, C)
        return self.proj(x)


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1, self.act, self.fc2 = nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim)

    def forward(self, x, hook, prefix):
        x = hook(prefix + 'mlp.hook_pre', self.fc1(x))
        x = hook(prefix + 'mlp.hook_post', self.act(x))
        return self.fc2(x)


class Block(nn.Module):
    def __init__(self, dim, heads, hidden):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, hidden)

    def forward(self, x, hook, i):
        p = f'blocks.{i}.'
        x = hook(p + 'hook_resid_pre', x)
        x = hook(p + 'hook_resid_mid', x + hook(p + 'hook_attn_out', self.attn(self.norm1(x), hook, p)))
        x = hook(p + 'hook_resid_post', x + hook(p + 'hook_mlp_out', self.mlp(self.norm2(x), hook, p)))
        return x


class PatchEmbed(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Conv2d(1, dim, kernel_size=PATCH, stride=PATCH)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)  # BCHW -> BNC, frequency-major


class TinyM2D(nn.Module):
    def __init__(self):
        super().__init__()
        self.fbins, self.unit_patches = MEL // PATCH, UNIT // PATCH
        self.patch_embed = PatchEmbed(WIDTH)
        self.cls_token = nn.Parameter(torch.randn(1, 1, WIDTH) * 0.5)
        self.pos_embed = nn.Parameter(torch.randn(1, 1 + self.fbins * self.unit_patches, WIDTH) * 0.5)
        self.blocks = nn.ModuleList([Block(WIDTH, HEADS, MLP) for _ in range(DEPTH)])
        self.norm = nn.LayerNorm(WIDTH, eps=1e-6)

    def forward_encoder(self, x, hook):
        x = self.patch_embed(x)
        pos_embed = self.pos_embed[:, 1:, :]
        if x.shape[1] < pos_embed.shape[1]:  # shorten pos_embed for a short input
            frames = x.shape[1] // self.fbins
            pos_embed = pos_embed.reshape(1, self.fbins, -1, WIDTH)[:, :, :frames, :]
            pos_embed = pos_embed.reshape(1, self.fbins * frames, WIDTH)
        x = hook('hook_embed', x + pos_embed)
        cls_token = self.cls_token + self.pos_embed[:, :1, :]
        x = torch.cat((cls_token.expand(x.shape[0], -1, -1), x), dim=1)
        for i, blk in enumerate(self.blocks):
            x = blk(x, hook, i)
        return hook('hook_final', self.norm(x))

    def encode_lms(self, x):
        """portable_m2d.encode_lms: pad to the patch width, chunk by unit, stack features."""
        chunks = (x.shape[-1] + UNIT - 1) // UNIT
        pad_frames = (PATCH - x.shape[-1] % PATCH) % PATCH
        if pad_frames > 0:
            x = torch.nn.functional.pad(x, (0, pad_frames))
        feats, cls, hooks = [], [], []
        for i in range(chunks):
            rec = Recorder()
            emb = self.forward_encoder(x[..., i * UNIT:(i + 1) * UNIT], rec)
            cls.append(emb[:, 0, :])
            emb = emb[..., 1:, :]
            B, L, D = emb.shape  # rearrange 'b (f t) d -> b t (f d)'
            emb = emb.reshape(B, self.fbins, L // self.fbins, D).permute(0, 2, 1, 3)
            feats.append(emb.reshape(B, L // self.fbins, self.fbins * D))
            hooks.append(rec.acts)
        return torch.cat(feats, dim=-2), torch.stack(cls, dim=1), hooks


def randomise(model, g):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if 'norm' in name and name.endswith('weight'):
                p.copy_(1 + 0.3 * torch.randn(p.shape, generator=g))
            elif name not in ('cls_token', 'pos_embed'):
                p.copy_(torch.randn(p.shape, generator=g) * (0.5 / math.sqrt(p.shape[-1]) if p.dim() > 1 else 0.1))


def main():
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1234)
    model = TinyM2D()
    randomise(model, g)
    model.eval()
    out = {}
    state = {'model.' + k: v.detach().numpy() for k, v in model.state_dict().items()}
    state['model.norm_stats'] = np.array(NORM_STATS, dtype=np.float32)
    state['model.mask_token'] = np.zeros((1, 1, 32), dtype=np.float32)
    state['model.decoder_pred.weight'] = np.zeros((4, 32), dtype=np.float32)
    state['epoch'] = np.array(7, dtype=np.int64)
    for k, v in state.items():
        out['w/' + k] = v.astype(np.float32) if v.dtype == np.float64 else v
    cases = {'long': (2, 75), 'short': (1, 13)}  # 3 chunks (last ragged), and one under a unit
    with torch.no_grad():
        for case, (batch, frames) in cases.items():
            x = torch.randn(batch, 1, MEL, frames, generator=g)
            feats, cls, hooks = model.encode_lms(x)
            out[f'{case}/input'] = x.numpy()
            out[f'{case}/features'] = feats.numpy()
            out[f'{case}/cls'] = cls.numpy()
            out[f'{case}/scene'] = feats.mean(dim=1).numpy()
            for i, acts in enumerate(hooks):
                for name, a in acts.items():
                    out[f'{case}/c{i}/{name}'] = a.contiguous().numpy()
    out = {k: np.ascontiguousarray(v) for k, v in out.items()}
    np.savez(OUT, **out)
    print(f'wrote {os.path.normpath(OUT)}: {len(out)} arrays, {os.path.getsize(OUT)} bytes')


if __name__ == '__main__':
    main()
