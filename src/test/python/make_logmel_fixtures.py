#!/usr/bin/python3
"""Generates the audio test fixtures under src/test/resources/audio/.

Run with Debian's interpreter (python3-torch, numpy, scipy), from the repository root:

    /usr/bin/python3 src/test/python/make_logmel_fixtures.py

Writes
  * golden log-mels: for each case a 16-bit PCM WAV input and a raw float32 little-endian
    ``.f32`` file of shape [n_mels, frames] (row-major), made with torch.stft (periodic Hann,
    center=True, reflect padding, power 2) and a mel filterbank built from librosa's Slaney
    formulas (librosa.filters.mel, htk=False, norm='slaney') re-implemented here in numpy,
    then log(mel + float32 eps) -- the M2D runtime front end. Computed in float64; the
    float32 pipeline's deviation is printed for reference.
  * WAV variants (PCM 8/16/24/32, float 32/64, WAVE_FORMAT_EXTENSIBLE, several channels,
    extra and odd-sized chunks) written by a RIFF writer independent of the Java code, with
    the expected mono signal as ``.f32``;
  * FLAC files made with the ``flac`` command-line encoder (Debian package ``flac``:
    ``flac --silent --force -o X.flac X.wav``) from 16- and 24-bit stereo WAVs;
  * fixtures.json describing every case.

The speech clip is espeak-ng output ("en", 22.05 kHz) resampled to 16 kHz with
scipy.signal.resample_poly; without espeak-ng a synthetic voiced signal is used instead.
"""
import json
import os
import shutil
import struct
import subprocess
import tempfile

import numpy as np
import scipy.signal
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "audio")
EPS32 = float(torch.finfo(torch.float32).eps)

PRESETS = {
    "m2d-16k": dict(sr=16000, n_fft=400, win=400, hop=160, n_mels=80, fmin=50.0, fmax=8000.0),
    "m2d-32k": dict(sr=32000, n_fft=800, win=800, hop=320, n_mels=80, fmin=50.0, fmax=16000.0),
}


# --- librosa's Slaney mel scale and filterbank (librosa.core.convert / librosa.filters) ---
def hz_to_mel(freqs):
    freqs = np.asanyarray(freqs, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = freqs / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    log_t = freqs >= min_log_hz
    mels = np.where(log_t, min_log_mel + np.log(np.maximum(freqs, 1e-10) / min_log_hz) / logstep, mels)
    return mels


def mel_to_hz(mels):
    mels = np.asanyarray(mels, dtype=np.float64)
    f_sp = 200.0 / 3
    freqs = f_sp * mels
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    log_t = mels >= min_log_mel
    return np.where(log_t, min_log_hz * np.exp(logstep * (mels - min_log_mel)), freqs)


def mel_filterbank(sr, n_fft, n_mels, fmin, fmax):
    fftfreqs = np.linspace(0, float(sr) / 2, int(1 + n_fft // 2), endpoint=True)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    weights = np.zeros((n_mels, 1 + n_fft // 2))
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2: n_mels + 2] - mel_f[:n_mels])
    return weights * enorm[:, np.newaxis]


def logmel(x, p, dtype):
    x = torch.tensor(x, dtype=dtype)
    window = torch.hann_window(p["win"], periodic=True, dtype=dtype)
    spec = torch.stft(x, n_fft=p["n_fft"], hop_length=p["hop"], win_length=p["win"],
                      window=window, center=True, pad_mode="reflect", return_complex=True)
    power = spec.abs() ** 2
    fb = torch.tensor(mel_filterbank(p["sr"], p["n_fft"], p["n_mels"], p["fmin"], p["fmax"]),
                      dtype=dtype)
    return torch.log(fb @ power + EPS32).numpy()


# --- a RIFF/WAVE writer, independent of the Java reader ---
def riff(fmt_chunk, data, extra_chunks=()):
    chunks = b"".join(extra_chunks)
    body = b"WAVE" + chunks + b"fmt " + struct.pack("<I", len(fmt_chunk)) + fmt_chunk
    body += b"data" + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")
    return b"RIFF" + struct.pack("<I", len(body)) + body


def encode(x, bits, is_float):
    """x: [frames, channels] in [-1, 1) -> little-endian interleaved bytes."""
    if is_float:
        return x.astype("<f4" if bits == 32 else "<f8").tobytes()
    if bits == 8:
        return np.clip(np.round(x * 128 + 128), 0, 255).astype(np.uint8).tobytes()
    scale = 2.0 ** (bits - 1)
    q = np.clip(np.round(x * scale), -scale, scale - 1).astype(np.int64)
    if bits == 24:
        b = q.astype("<i4").view(np.uint8).reshape(-1, 4)[:, :3]
        return b.tobytes()
    return q.astype("<i2" if bits == 16 else "<i4").tobytes()


def decoded(x, bits, is_float):
    """What an exact decoder returns: the stored values as floats, averaged over channels."""
    if is_float:
        v = x.astype(np.float32 if bits == 32 else np.float64).astype(np.float64)
    elif bits == 8:
        v = (np.clip(np.round(x * 128 + 128), 0, 255) - 128) / 128.0
    else:
        scale = 2.0 ** (bits - 1)
        v = np.clip(np.round(x * scale), -scale, scale - 1) / scale
    return v.mean(axis=1).astype(np.float32)


def wav_bytes(x, sr, bits, is_float=False, extensible=False, extra_chunks=()):
    ch = x.shape[1]
    block = ch * bits // 8
    tag = 3 if is_float else 1
    if extensible:
        guid_tail = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        fmt = struct.pack("<HHIIHHHHI", 0xFFFE, ch, sr, sr * block, block, bits, 22, bits,
                          (1 << ch) - 1) + struct.pack("<H", tag) + guid_tail
    else:
        fmt = struct.pack("<HHIIHH", tag, ch, sr, sr * block, block, bits)
        if is_float:
            fmt += struct.pack("<H", 0)  # cbSize, as float writers emit it (18-byte fmt)
    return riff(fmt, encode(x, bits, is_float), extra_chunks)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def f32(name, a):
    write(name, np.ascontiguousarray(a, dtype="<f4").tobytes())


def speech_16k():
    text = "The quick brown fox jumps over the lazy dog, then sleeps."
    if shutil.which("espeak-ng"):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "s.wav")
            subprocess.run(["espeak-ng", "-v", "en", "-w", path, text], check=True)
            import scipy.io.wavfile
            sr, x = scipy.io.wavfile.read(path)
            assert sr == 22050, sr
            y = scipy.signal.resample_poly(x.astype(np.float64) / 32768.0, 320, 441)
            return y[: int(2.5 * 16000)], "espeak-ng"
    t = np.arange(int(2.0 * 16000)) / 16000
    f0 = 120 + 30 * np.sin(2 * np.pi * 1.5 * t)
    phase = 2 * np.pi * np.cumsum(f0) / 16000
    y = sum(np.sin(k * phase) / k for k in range(1, 30)) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))
    return 0.2 * y, "synthetic voiced"


def tones(sr, seconds):
    rng = np.random.default_rng(7)
    n = int(seconds * sr)
    t = np.arange(n) / sr
    y = 0.3 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 1234.5 * t)
    y += 0.1 * np.sin(2 * np.pi * (200 + 3000 * t) * t)  # chirp
    y[n // 2: n // 2 + sr // 10] = 0  # digital silence
    y += 0.01 * rng.standard_normal(n) * (t > 0.8 * seconds)
    return y


def pcm16(y):
    q = np.clip(np.round(y * 32768), -32768, 32767).astype(np.int16)
    return q, q.astype(np.float64) / 32768.0


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = {"logmel": [], "wav": [], "flac": []}

    speech, speech_kind = speech_16k()
    cases = [("tone-16k", tones(16000, 1.0048), "m2d-16k"),
             ("speech-16k", speech, "m2d-16k"),
             ("tone-32k", tones(32000, 0.75), "m2d-32k")]
    for name, y, preset in cases:
        p = PRESETS[preset]
        q, x = pcm16(y)
        write(name + ".wav", wav_bytes(q[:, None] / 32768.0, p["sr"], 16))
        golden = logmel(x, p, torch.float64)
        f32(name + ".logmel.f32", golden)
        dev32 = np.abs(logmel(x.astype(np.float32), p, torch.float32) - golden).max()
        manifest["logmel"].append(dict(wav=name + ".wav", preset=preset, golden=name + ".logmel.f32",
                                       shape=list(golden.shape)))
        print(f"{name}: {preset} {golden.shape}, float32 pipeline max |diff| {dev32:.2e}")
    manifest["speech_source"] = speech_kind

    rng = np.random.default_rng(11)
    frames, sr = 800, 8000
    t = np.arange(frames) / sr
    base = np.stack([0.5 * np.sin(2 * np.pi * 300 * t), 0.4 * np.sin(2 * np.pi * 700 * t + 1),
                     0.3 * rng.uniform(-1, 1, frames)], axis=1)
    junk = b"LIST" + struct.pack("<I", 5) + b"abcde" + b"\0"  # odd-sized chunk, padded
    variants = [("pcm8", 8, False, False, 1, ()), ("pcm16", 16, False, False, 2, ()),
                ("pcm24", 24, False, False, 2, ()), ("pcm32", 32, False, False, 2, ()),
                ("float32", 32, True, False, 2, ()), ("float64", 64, True, False, 1, ()),
                ("ext24-3ch", 24, False, True, 3, ()), ("extfloat32", 32, True, True, 2, ()),
                ("pcm16-chunks", 16, False, False, 2, (junk,))]
    for name, bits, is_float, ext, ch, extra in variants:
        x = base[:, :ch]
        write(f"wav-{name}.wav", wav_bytes(x, sr, bits, is_float, ext, extra))
        f32(f"wav-{name}.f32", decoded(x, bits, is_float))
        manifest["wav"].append(dict(wav=f"wav-{name}.wav", expected=f"wav-{name}.f32", rate=sr,
                                    channels=ch, bits=bits))

    if shutil.which("flac"):
        for bits in (16, 24):
            x = base[:, :2]
            name = f"flac-{bits}"
            src = os.path.join(OUT, name + ".tmp.wav")
            with open(src, "wb") as f:
                f.write(wav_bytes(x, sr, bits))
            subprocess.run(["flac", "--silent", "--force", "-o", os.path.join(OUT, name + ".flac"), src],
                           check=True)
            os.remove(src)
            f32(name + ".f32", decoded(x, bits, False))
            manifest["flac"].append(dict(file=name + ".flac", expected=name + ".f32", rate=sr,
                                         channels=2, bits=bits))
    else:
        print("flac not installed: FLAC fixtures not regenerated")

    with open(os.path.join(OUT, "fixtures.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
