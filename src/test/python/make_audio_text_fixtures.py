"""Golden fixtures for the text pathway of io.anw.model.M2dViT: a tiny random audio-text ViT.

Run with Debian's python3-torch:
    /usr/bin/python3 src/test/python/make_audio_text_fixtures.py

The model is make_model_fixtures.TinyM2D plus a text pathway: caption token ids embedded by
nn.Embedding ('text_embed.weight') plus learned positions ('text_pos_embed'), appended after the
audio patch tokens of every chunk, so each chunk's tokens are [CLS, patches, text]; the features
are the patch tokens only. Writes src/test/resources/model/audio_text_tiny.npz with
  w/<param>            the bare state dict (+ norm_stats)
  <case>/input         normalised log-mel [batch, 1, 80, frames]
  <case>/ids           caption token ids [batch, tokens] int64
  <case>/features      stacked features [batch, time patches, 5 * width]
  <case>/cls           CLS output per chunk [batch, chunks, width]
  <case>/c<i>/<hook>   hook_embed, hook_text_embed, mlp.hook_post and hook_resid_post of every
                       block, hook_final, in chunk i
"""
import os

import numpy as np
import torch
from torch import nn

from make_model_fixtures import (MEL, NORM_STATS, PATCH, UNIT, WIDTH, Recorder, TinyM2D,
                                 randomise)

VOCAB, TEXT_LEN = 9, 4
KEEP = ('hook_embed', 'hook_text_embed', 'hook_final')
OUT = os.path.join(os.path.dirname(__file__), '..', 'resources', 'model', 'audio_text_tiny.npz')


class TinyAudioText(TinyM2D):
    def __init__(self):
        super().__init__()
        self.text_embed = nn.Embedding(VOCAB, WIDTH)
        self.text_pos_embed = nn.Parameter(torch.randn(1, TEXT_LEN, WIDTH) * 0.5)

    def forward_encoder(self, x, ids, hook):
        x = self.patch_embed(x)
        pos_embed = self.pos_embed[:, 1:, :]
        if x.shape[1] < pos_embed.shape[1]:
            frames = x.shape[1] // self.fbins
            pos_embed = pos_embed.reshape(1, self.fbins, -1, WIDTH)[:, :, :frames, :]
            pos_embed = pos_embed.reshape(1, self.fbins * frames, WIDTH)
        x = hook('hook_embed', x + pos_embed)
        cls_token = self.cls_token + self.pos_embed[:, :1, :]
        words = hook('hook_text_embed',
                     self.text_embed(ids) + self.text_pos_embed[:, :ids.shape[1], :])
        x = torch.cat((cls_token.expand(x.shape[0], -1, -1), x, words), dim=1)
        for i, blk in enumerate(self.blocks):
            x = blk(x, hook, i)
        return hook('hook_final', self.norm(x))

    def encode(self, x, ids):
        chunks = (x.shape[-1] + UNIT - 1) // UNIT
        pad_frames = (PATCH - x.shape[-1] % PATCH) % PATCH
        if pad_frames > 0:
            x = torch.nn.functional.pad(x, (0, pad_frames))
        feats, cls, hooks = [], [], []
        for i in range(chunks):
            rec = Recorder()
            chunk = x[..., i * UNIT:(i + 1) * UNIT]
            emb = self.forward_encoder(chunk, ids, rec)
            patches = self.fbins * (chunk.shape[-1] // PATCH)
            cls.append(emb[:, 0, :])
            emb = emb[:, 1:1 + patches, :]
            B, L, D = emb.shape
            emb = emb.reshape(B, self.fbins, L // self.fbins, D).permute(0, 2, 1, 3)
            feats.append(emb.reshape(B, L // self.fbins, self.fbins * D))
            hooks.append({k: v for k, v in rec.acts.items()
                          if k in KEEP or k.endswith('mlp.hook_post') or k.endswith('hook_resid_post')})
        return torch.cat(feats, dim=-2), torch.stack(cls, dim=1), hooks


def main():
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(4321)
    model = TinyAudioText()
    randomise(model, g)
    with torch.no_grad():
        model.text_embed.weight.copy_(torch.randn(VOCAB, WIDTH, generator=g) * 0.5)
    model.eval()
    out = {'w/' + k: v.detach().numpy() for k, v in model.state_dict().items()}
    out['w/norm_stats'] = np.array(NORM_STATS, dtype=np.float32)
    # 'full': 2 chunks (ragged), 4 tokens; 'short': one chunk under a unit, a 2-token caption
    cases = {'full': (2, 50, 4), 'short': (3, 20, 2)}
    with torch.no_grad():
        for case, (batch, frames, tokens) in cases.items():
            x = torch.randn(batch, 1, MEL, frames, generator=g)
            ids = torch.randint(0, VOCAB, (batch, tokens), generator=g)
            feats, cls, hooks = model.encode(x, ids)
            out[f'{case}/input'] = x.numpy()
            out[f'{case}/ids'] = ids.numpy().astype(np.int64)
            out[f'{case}/features'] = feats.numpy()
            out[f'{case}/cls'] = cls.numpy()
            for i, acts in enumerate(hooks):
                for name, a in acts.items():
                    out[f'{case}/c{i}/{name}'] = a.contiguous().numpy()
    out = {k: np.ascontiguousarray(v) for k, v in out.items()}
    np.savez_compressed(OUT, **out)
    print(f'wrote {os.path.normpath(OUT)}: {len(out)} arrays, {os.path.getsize(OUT)} bytes')


if __name__ == '__main__':
    main()
