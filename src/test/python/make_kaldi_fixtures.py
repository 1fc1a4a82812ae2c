"""Golden fixtures for io.anw.audio.KaldiFbank: torchaudio's Kaldi-compatible fbank, as AST reads audio.

Run with Debian's python3-torch, python3-torchaudio and numpy:
    /usr/bin/python3 src/test/python/make_kaldi_fixtures.py

AST (and Hugging Face's ASTFeatureExtractor) computes
    torchaudio.compliance.kaldi.fbank(waveform, htk_compat=True, sample_frequency=16000,
        use_energy=False, window_type='hanning', num_mel_bins=128, dither=0.0, frame_shift=10)
which is the reference here, on the committed real WAVs of the log-mel fixtures, computed in
float64. Writes to src/test/resources/audio/:
  kaldi-<wav>-<bins>.f32   [frames, bins] float32 little-endian (torchaudio's layout)
  kaldi.json               shapes and options
"""
import json
import os
import wave

import numpy as np
import torch
import torchaudio

OUT = os.path.join(os.path.dirname(__file__), '..', 'resources', 'audio')


def read_wav(name):
    with wave.open(os.path.join(OUT, name), 'rb') as f:
        assert f.getsampwidth() == 2 and f.getnchannels() == 1 and f.getframerate() == 16000
        return np.frombuffer(f.readframes(f.getnframes()), dtype='<i2').astype(np.float64) / 32768.0


def main():
    manifest = []
    for wav in ('speech-16k.wav', 'tone-16k.wav'):
        x = torch.tensor(read_wav(wav), dtype=torch.float64).unsqueeze(0)
        stem = wav[:-len('.wav')]
        for bins, window in ((128, 'hanning'), (80, 'povey')):
            fb = torchaudio.compliance.kaldi.fbank(
                x, htk_compat=True, sample_frequency=16000, use_energy=False,
                window_type=window, num_mel_bins=bins, dither=0.0, frame_shift=10)
            name = f'kaldi-{stem}-{bins}.f32'
            with open(os.path.join(OUT, name), 'wb') as f:
                f.write(np.ascontiguousarray(fb.numpy(), dtype='<f4').tobytes())
            manifest.append(dict(wav=wav, bins=bins, window=window, shape=list(fb.shape),
                                 golden=name))
            print(f'{wav} {bins} bins ({window}): {tuple(fb.shape)}')
    with open(os.path.join(OUT, 'kaldi.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
    print('torchaudio', torchaudio.__version__)


if __name__ == '__main__':
    main()
