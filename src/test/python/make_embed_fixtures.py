#!/usr/bin/python3
"""End-to-end golden fixture for `workbench embed`: WAV -> M2D log-mel -> normalise -> ViT ->
scene embedding, all in PyTorch, with the checkpoint saved by torch.save as M2D saves it.

Run with Debian's python3-torch, from the repository root:
    /usr/bin/python3 src/test/python/make_embed_fixtures.py

Reuses the reference modules of make_model_fixtures.py (widened to 128 so that the default
heads = width / 64 = 2 holds) and the front end of make_logmel_fixtures.py. Writes under
src/test/resources/embed/:
  m2d_vit_tiny-80x32p16x16-test/checkpoint-1.pth  {'model': state_dict, 'args': Namespace}
  tone-16k.scene.f32   the expected scene embedding, float32 [5 * 128]
  tone-16k.cls.f32     the expected per-chunk CLS outputs, float32 [chunks, 128]
"""
import argparse
import os
import sys

import numpy as np
import scipy.io.wavfile
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_logmel_fixtures as lm  # noqa: E402
import make_model_fixtures as mm  # noqa: E402

OUT = os.path.join(HERE, "..", "resources", "embed")
FOLDER = "m2d_vit_tiny-80x32p16x16-test"
WAV = os.path.join(HERE, "..", "resources", "audio", "tone-16k.wav")


def main():
    mm.WIDTH, mm.HEADS, mm.MLP = 128, 2, 256
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(99)
    model = mm.TinyM2D()
    mm.randomise(model, g)
    model.eval()
    state = dict(model.state_dict())
    state["norm_stats"] = torch.tensor(mm.NORM_STATS)
    args = argparse.Namespace(model="m2d_vit_tiny", input_size=[80, 32], patch_size=[16, 16],
                              norm_stats=mm.NORM_STATS, epochs=1)
    os.makedirs(os.path.join(OUT, FOLDER), exist_ok=True)
    torch.save({"model": state, "args": args, "epoch": 1},
               os.path.join(OUT, FOLDER, "checkpoint-1.pth"))

    sr, q = scipy.io.wavfile.read(WAV)
    assert sr == 16000 and q.dtype == np.int16
    x = q.astype(np.float64) / 32768.0
    logmel = lm.logmel(x, lm.PRESETS["m2d-16k"], torch.float64)        # [80, frames]
    norm = (logmel - mm.NORM_STATS[0]) / mm.NORM_STATS[1]
    inp = torch.tensor(norm, dtype=torch.float32)[None, None]          # [1, 1, 80, frames]
    with torch.no_grad():
        feats, cls, _ = model.encode_lms(inp)
    scene = feats.mean(dim=1)[0].numpy()
    scene.astype("<f4").tofile(os.path.join(OUT, "tone-16k.scene.f32"))
    cls[0].numpy().astype("<f4").tofile(os.path.join(OUT, "tone-16k.cls.f32"))
    print(f"{FOLDER}: frames {logmel.shape[1]}, scene {scene.shape}, cls {tuple(cls[0].shape)}")


if __name__ == "__main__":
    main()
