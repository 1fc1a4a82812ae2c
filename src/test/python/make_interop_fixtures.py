#!/usr/bin/env python3
"""Golden files for the Python interop of io.anw.activation.CountsFile (and io.anw.neuron.LapeMasks).

Run with Debian's python3 (torch 1.13): /usr/bin/python3 src/test/python/make_interop_fixtures.py
Writes into src/test/resources/interop/:

- activation.<lang>.train.tiny for lang in en, zh, fr: exactly what LAPE's activation.py saves,
  dict(n=<python int>, sum1..sum4=<float32 [layers, neurons]>, over_zero=<int32 [layers, neurons]>)
- aape_stacked.pt: dict(n=LongTensor[classes], over_zero=LongTensor[layers, neurons, classes],
  classes=[str]) (the layout assumed for the AAPE code's over_zero.pt)
- aape_per_class.pt: {lang: dict(n=int, over_zero=LongTensor[layers, neurons])}
- tiny.neuron.pth: a List[List[LongTensor]] mask as LAPE's identify.py saves it
- expected.json: n and over_zero ([layers][neurons][classes]) of the counts, the mask as lists
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "interop")
LANGS = ["en", "zh", "fr"]
LAYERS, NEURONS = 3, 5


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(6)
    n = [1000, 2048, 0]  # a class without tokens too
    per_lang = []
    for lang, tokens in zip(LANGS, n):
        over_zero = torch.randint(0, tokens + 1, (LAYERS, NEURONS), generator=g, dtype=torch.int32)
        per_lang.append(over_zero)
        sums = [torch.rand(LAYERS, NEURONS, generator=g) for _ in range(4)]
        out = dict(n=tokens, sum1=sums[0], sum2=sums[1], sum3=sums[2], sum4=sums[3], over_zero=over_zero)
        torch.save(out, os.path.join(OUT, f"activation.{lang}.train.tiny"))
    # identify.py's stacking
    stacked = torch.stack(per_lang, dim=-1).long()
    torch.save(dict(n=torch.tensor(n), over_zero=stacked, classes=LANGS), os.path.join(OUT, "aape_stacked.pt"))
    torch.save({lang: dict(n=tokens, over_zero=oz.long()) for lang, tokens, oz in zip(LANGS, n, per_lang)},
               os.path.join(OUT, "aape_per_class.pt"))
    mask = [[torch.tensor(sorted({int(i) for i in torch.randint(0, NEURONS, (c + l,), generator=g)})).long()
             for l in range(LAYERS)] for c in range(len(LANGS))]
    torch.save(mask, os.path.join(OUT, "tiny.neuron.pth"))
    expected = dict(classes=LANGS, layers=LAYERS, neurons=NEURONS, n=n, over_zero=stacked.tolist(),
                    mask=[[t.tolist() for t in per] for per in mask])
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f)
        f.write("\n")


if __name__ == "__main__":
    main()
