"""Golden fixtures for io.anw.model.Wav2vec2Encoder: torchaudio's whole wav2vec 2.0 / HuBERT model
(torchaudio.models.wav2vec2_model; HuBERT shares the architecture), random weights, written in
the Hugging Face key layout.

Run with Debian's python3-torch, python3-torchaudio and numpy:
    /usr/bin/python3 src/test/python/make_wav2vec2_model_fixtures.py

Two small models (the base layout's convolutions with 32 channels, width 48, positions kernel
16 in 4 groups, 2 layers of 4 heads, FFN 96): 'base' (group norm, no conv bias, post-norm) and
'stable' (layer norm in every convolution, conv bias, pre-norm: the large models). Input: the
committed speech WAV. torchaudio keys are renamed to Hugging Face's:
encoder.feature_projection.* -> feature_projection.*, encoder.transformer.* -> encoder.*.
Writes src/test/resources/model/wav2vec2_model.npz: M/w/<HF key>, input [1, T],
M/mlp_post_0 (block 0's neurons) and M/output (the last hidden state, [1, frames, 48]).
"""
import os
import wave

import numpy as np
import torch
import torchaudio

HERE = os.path.dirname(__file__)
WAV = os.path.join(HERE, '..', 'resources', 'audio', 'speech-16k.wav')
OUT = os.path.join(HERE, '..', 'resources', 'model', 'wav2vec2_model.npz')
CONV = [(32, 10, 5)] + [(32, 3, 2)] * 4 + [(32, 2, 2)] * 2


def hf_key(k):
    if k.startswith('encoder.feature_projection.'):
        return k[len('encoder.'):]
    return k.replace('encoder.transformer.', 'encoder.')


def main():
    with wave.open(WAV, 'rb') as f:
        x = np.frombuffer(f.readframes(f.getnframes()), dtype='<i2').astype(np.float32) / 32768.0
    wav = torch.tensor(x[:16000]).unsqueeze(0)  # 1 s
    g = torch.Generator().manual_seed(17)
    out = {'input': wav.numpy()}
    for mode, norm, bias, first in (('base', 'group_norm', False, False),
                                    ('stable', 'layer_norm', True, True)):
        model = torchaudio.models.wav2vec2_model(norm, CONV, bias, 48, 0.0, 16, 4, 2, 4, 0.0, 96,
                                                 0.0, 0.0, first, 0.0, None).eval()
        with torch.no_grad():
            for name, p in model.named_parameters():
                if 'layer_norm' in name and name.endswith('weight'):
                    p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
                elif name.endswith('weight_g'):
                    p.copy_(1 + 0.3 * torch.randn(p.shape, generator=g))
                elif name.endswith('bias'):
                    p.copy_(0.1 * torch.randn(p.shape, generator=g))
                else:
                    p.copy_(torch.randn(p.shape, generator=g) / p[0].numel() ** 0.5)
            seen = {}
            layer0 = model.encoder.transformer.layers[0].feed_forward.intermediate_dense
            h = layer0.register_forward_hook(lambda m, i, o: seen.__setitem__('pre', o.clone()))
            y, _ = model(wav)
            h.remove()
        for k, v in model.state_dict().items():
            out[f'{mode}/w/{hf_key(k)}'] = v.numpy()
        out[f'{mode}/mlp_post_0'] = torch.nn.functional.gelu(seen['pre']).numpy()
        out[f'{mode}/output'] = y.numpy()
        print(mode, tuple(y.shape))
    np.savez(OUT, **{k: np.ascontiguousarray(v) for k, v in out.items()})
    print('wrote', os.path.normpath(OUT), os.path.getsize(OUT), 'bytes')


if __name__ == '__main__':
    main()
