"""Golden fixtures for io.anw.audio.WhisperLogMel: Whisper's log-mel front end on real WAVs.

Run with Debian's python3-torch and numpy (OpenAI's whisper package is not needed):
    /usr/bin/python3 src/test/python/make_whisper_fixtures.py

The reference below follows the published front end of OpenAI Whisper (whisper/audio.py,
log_mel_spectrogram): torch.stft with n_fft 400, hop 160, a periodic Hann window, centred with
reflect padding; the last frame dropped; |X|^2 through librosa's Slaney mel filterbank from 0 to
8000 Hz (re-implemented in make_logmel_fixtures.py); log10 of max(., 1e-10); floored at the
maximum minus 8; (x + 4) / 4. Computed in float64. Inputs are the committed WAVs of the log-mel
fixtures (speech-16k.wav: espeak-ng speech; tone-16k.wav: tones, a chirp, silence and noise).

Writes to src/test/resources/audio/:
  whisper-<wav>-<bins>.f32          [bins, samples // 160] float32 little-endian, no padding
  whisper-<wav>-<bins>-padded.f32   the first 320 frames of the 30 s encoder input [bins, 3000]
  whisper.json                      shapes, and the padded input's value after the audio
and src/test/resources/model/whisper-dims.pt: a checkpoint in OpenAI's layout
({'dims': ModelDimensions as a dict, 'model_state_dict': ...}) with Whisper tiny's dims and two
small tensors, for `inspect`.
"""
import json
import os
import sys
import wave

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_logmel_fixtures import mel_filterbank  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'resources', 'audio')
HEAD = 320


def read_wav(name):
    with wave.open(os.path.join(OUT, name), 'rb') as f:
        assert f.getsampwidth() == 2 and f.getnchannels() == 1 and f.getframerate() == 16000
        return np.frombuffer(f.readframes(f.getnframes()), dtype='<i2').astype(np.float64) / 32768.0


def whisper_log_mel(x, bins):
    x = torch.tensor(x, dtype=torch.float64)
    window = torch.hann_window(400, periodic=True, dtype=torch.float64)
    spec = torch.stft(x, n_fft=400, hop_length=160, window=window, center=True,
                      pad_mode='reflect', return_complex=True)
    power = spec[..., :-1].abs() ** 2
    fb = torch.tensor(mel_filterbank(16000, 400, bins, 0.0, 8000.0), dtype=torch.float64)
    log = torch.clamp(fb @ power, min=1e-10).log10()
    log = torch.maximum(log, log.max() - 8.0)
    return ((log + 4.0) / 4.0).numpy()


def f32(name, a):
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(np.ascontiguousarray(a, dtype='<f4').tobytes())


def main():
    manifest = []
    for wav in ('speech-16k.wav', 'tone-16k.wav'):
        x = read_wav(wav)
        stem = wav[:-len('.wav')]
        for bins in (80, 128):
            plain = whisper_log_mel(x, bins)
            padded = whisper_log_mel(np.pad(x, (0, 480000 - len(x))), bins)
            assert padded.shape == (bins, 3000), padded.shape
            tail = padded[:, 400:]
            assert np.all(tail == tail[0, 0]), 'padding frames are one value'
            f32(f'whisper-{stem}-{bins}.f32', plain)
            f32(f'whisper-{stem}-{bins}-padded.f32', padded[:, :HEAD])
            manifest.append(dict(wav=wav, bins=bins, shape=list(plain.shape),
                                 golden=f'whisper-{stem}-{bins}.f32',
                                 padded=f'whisper-{stem}-{bins}-padded.f32', padded_frames=HEAD,
                                 padded_tail=float(tail[0, 0])))
            print(f'{wav} {bins} bins: {plain.shape}, padded tail {tail[0, 0]:.6f}')
    with open(os.path.join(OUT, 'whisper.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
    dims = dict(n_mels=80, n_audio_ctx=1500, n_audio_state=384, n_audio_head=6, n_audio_layer=4,
                n_vocab=51865, n_text_ctx=448, n_text_state=384, n_text_head=6, n_text_layer=4)
    g = torch.Generator().manual_seed(3)
    state = {'encoder.conv1.weight': torch.randn(4, 80, 3, generator=g),
             'encoder.blocks.0.mlp.0.weight': torch.randn(16, 4, generator=g)}
    torch.save({'dims': dims, 'model_state_dict': state},
               os.path.join(OUT, '..', 'model', 'whisper-dims.pt'))


if __name__ == '__main__':
    main()
