"""Golden fixtures for io.anw.model.ConvFeatureEncoder: torchaudio's wav2vec 2.0 / HuBERT feature
encoder and feature projection, random weights written in the Hugging Face key layout.

Run with Debian's python3-torch, python3-torchaudio and numpy:
    /usr/bin/python3 src/test/python/make_wav2vec2_fixtures.py

Two small encoders with the base layout's kernels and strides (10/5, 3/2 x4, 2/2 x2) but 32
channels: 'group' (GroupNorm on the first convolution, no conv bias: wav2vec 2.0 base, HuBERT)
and 'layer' (LayerNorm after every convolution, conv bias: the large 'stable' layout), each with
a feature projection 32 -> 48. Input: the committed speech WAV. Writes
src/test/resources/model/wav2vec2_features.npz with the waveform `input` [1, T] and, per
mode M,
  M/w/<HF key>     feature_extractor.conv_layers.{i}.conv.weight|bias,
                   feature_extractor.conv_layers.{i}.layer_norm.weight|bias,
                   feature_projection.layer_norm.weight|bias, feature_projection.projection.weight|bias
  M/features       the encoder's output [1, frames, 32] (hook_conv_features)
  M/projected      after the feature projection [1, frames, 48]
and src/test/resources/model/wav2vec2_posconv.npz: torchaudio's convolutional positional
embedding (width 48, kernel 16 (even: the last frame dropped), 4 groups, weight norm over dim 2)
on the 'group' projection: w/encoder.pos_conv_embed.conv.weight_g|weight_v|bias, input
[1, frames, 48], output [1, frames, 48] (the embedding, before it is added);
and src/test/resources/model/wav2vec2_blocks.npz: torchaudio's EncoderLayer (width 48, 4 heads,
FFN 96, split q/k/v with biases, exact GELU) post-norm ('post': base models) and pre-norm
('pre': layer_norm_first, the stable large models), on the projection plus its positions:
  M/w/encoder.layers.0.<HF name>   attention.{q,k,v,out}_proj.*, layer_norm.*,
                                   feed_forward.{intermediate,output}_dense.*, final_layer_norm.*
  input [1, frames, 48], M/mlp_pre [1, frames, 96] (the FFN's pre-activation), M/output.
"""
import os
import wave

import numpy as np
import torch
from torchaudio.models.wav2vec2 import components

HERE = os.path.dirname(__file__)
WAV = os.path.join(HERE, '..', 'resources', 'audio', 'speech-16k.wav')
OUT = os.path.join(HERE, '..', 'resources', 'model', 'wav2vec2_features.npz')
SHAPES = [(32, 10, 5)] + [(32, 3, 2)] * 4 + [(32, 2, 2)] * 2


def main():
    with wave.open(WAV, 'rb') as f:
        x = np.frombuffer(f.readframes(f.getnframes()), dtype='<i2').astype(np.float32) / 32768.0
    wav = torch.tensor(x).unsqueeze(0)
    g = torch.Generator().manual_seed(5)
    out = {}
    for mode, norm, bias in (('group', 'group_norm', False), ('layer', 'layer_norm', True)):
        fe = components._get_feature_extractor(norm, SHAPES, bias)
        proj = components.FeatureProjection(32, 48, 0.0)
        with torch.no_grad():
            for module in (fe, proj):
                for name, p in module.named_parameters():
                    if name.endswith('layer_norm.weight'):
                        p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
                    elif name.endswith('bias'):
                        p.copy_(0.1 * torch.randn(p.shape, generator=g))
                    else:
                        fan_in = p[0].numel()
                        p.copy_(torch.randn(p.shape, generator=g) / fan_in ** 0.5)
            features, _ = fe(wav, None)
            projected = proj(features)
        for name, t in fe.state_dict().items():
            out[f'{mode}/w/feature_extractor.{name}'] = t.numpy()
        for name, t in proj.state_dict().items():
            out[f'{mode}/w/feature_projection.{name}'] = t.numpy()
        out[f'{mode}/features'] = features.numpy()
        out[f'{mode}/projected'] = projected.numpy()
        print(mode, tuple(features.shape), tuple(projected.shape))
    pos = components.ConvolutionalPositionalEmbedding(48, 16, 4)
    with torch.no_grad():
        for name, p in pos.named_parameters():
            p.copy_((0.5 if name.endswith('weight_g') else 0.1) * torch.randn(p.shape, generator=g)
                    + (1.0 if name.endswith('weight_g') else 0.0))
        x = torch.tensor(out['group/projected'])
        y = pos(x)
    posconv = {f'w/encoder.pos_conv_embed.{k}': v.numpy() for k, v in pos.state_dict().items()}
    posconv['input'] = x.numpy()
    posconv['output'] = y.numpy()
    np.savez(OUT.replace('features', 'posconv'), **{k: np.ascontiguousarray(v) for k, v in posconv.items()})
    print('posconv', sorted(posconv), tuple(y.shape))
    blocks = {'input': (x + y).numpy()}
    for mode, first in (('post', False), ('pre', True)):
        layer = components.EncoderLayer(components.SelfAttention(48, 4), 0.0, first,
                                         components.FeedForward(48, 96, 0.0, 0.0))
        layer.eval()
        with torch.no_grad():
            for name, p in layer.named_parameters():
                if 'layer_norm' in name and name.endswith('weight'):
                    p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
                elif name.endswith('bias'):
                    p.copy_(0.1 * torch.randn(p.shape, generator=g))
                else:
                    p.copy_(torch.randn(p.shape, generator=g) / p.shape[-1] ** 0.5)
            seen = {}
            hook = layer.feed_forward.intermediate_dense.register_forward_hook(
                lambda m, i, o: seen.__setitem__('pre', o.detach().clone()))
            z = layer(x + y)
            z = z[0] if isinstance(z, tuple) else z
            hook.remove()
        for k, v in layer.state_dict().items():
            blocks[f'{mode}/w/encoder.layers.0.{k}'] = v.numpy()
        blocks[f'{mode}/mlp_pre'] = seen['pre'].numpy()
        blocks[f'{mode}/output'] = z.numpy()
    np.savez(OUT.replace('features', 'blocks'), **{k: np.ascontiguousarray(v) for k, v in blocks.items()})
    print('blocks', tuple(z.shape))
    out['input'] = wav.numpy()
    np.savez(OUT, **{k: np.ascontiguousarray(v) for k, v in out.items()})
    print('wrote', os.path.normpath(OUT), os.path.getsize(OUT), 'bytes')


if __name__ == '__main__':
    main()
