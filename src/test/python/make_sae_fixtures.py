"""Golden fixtures for io.anw.sae: SAEs in SAELens's saved layout and their outputs, computed
here with NumPy alone (independent of the workbench and of PyTorch).

SAELens saves an SAE as a folder with cfg.json and sae_weights.safetensors (float tensors
W_enc [d_in, d_sae], b_enc [d_sae], W_dec [d_sae, d_in], b_dec [d_in], and threshold [d_sae]
for JumpReLU). Encode: pre = (x - b_dec * apply_b_dec_to_input) @ W_enc + b_enc; standard:
relu(pre); topk: the k largest pre of each token through relu, the rest 0; jumprelu:
pre * (pre > threshold). Decode: f @ W_dec + b_dec.

Writes src/test/resources/sae/<name>/{cfg.json, sae_weights.safetensors, expected.npz} with
x [2, 5, d_in], feature_acts [2, 5, d_sae], sae_out [2, 5, d_in].

Run: python3 src/test/python/make_sae_fixtures.py
"""
import json
import os
import struct

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "sae")
D_IN, D_SAE = 12, 48


def write_safetensors(path, tensors, metadata=None):
    """The safetensors layout: u64 header length, JSON header, raw little-endian data."""
    header, offset, blobs = {}, 0, []
    for name, arr in tensors.items():
        arr = np.ascontiguousarray(arr)
        dtype = {"float32": "F32", "float16": "F16"}[str(arr.dtype)]
        data = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(arr.shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def encode(arch, x, p, k, apply_b_dec):
    xin = x - p["b_dec"] if apply_b_dec else x
    pre = xin @ p["W_enc"] + p["b_enc"]
    if arch == "standard":
        return np.maximum(pre, 0)
    if arch == "jumprelu":
        return pre * (pre > p["threshold"])
    # topk
    out = np.zeros_like(pre)
    idx = np.argsort(-pre, axis=-1, kind="stable")[..., :k]
    vals = np.take_along_axis(pre, idx, axis=-1)
    np.put_along_axis(out, idx, np.maximum(vals, 0), axis=-1)
    return out


def make(name, arch, cfg, seed, k=0, apply_b_dec=True, dtype=np.float32):
    rng = np.random.default_rng(seed)
    p = {
        "W_enc": rng.normal(0, 0.3, (D_IN, D_SAE)),
        "b_enc": rng.normal(0, 0.1, (D_SAE,)),
        "W_dec": rng.normal(0, 0.3, (D_SAE, D_IN)),
        "b_dec": rng.normal(0, 0.1, (D_IN,)),
    }
    if arch == "jumprelu":
        p["threshold"] = np.abs(rng.normal(0.2, 0.1, (D_SAE,)))
    # the stored values are what the SAE is (float16 files are widened when read)
    p = {key: v.astype(dtype).astype(np.float64) for key, v in p.items()}
    x = rng.normal(0, 1, (2, 5, D_IN)).astype(np.float32).astype(np.float64)
    f = encode(arch, x, p, k, apply_b_dec)
    recons = f @ p["W_dec"] + p["b_dec"]
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    write_safetensors(os.path.join(d, "sae_weights.safetensors"),
                      {key: v.astype(dtype) for key, v in p.items()})
    with open(os.path.join(d, "cfg.json"), "w") as fh:
        json.dump(cfg, fh, indent=2)
    np.savez(os.path.join(d, "expected.npz"), x=x.astype(np.float32),
             feature_acts=f.astype(np.float32), sae_out=recons.astype(np.float32))


# SAELens v6 style: hook name under metadata
make("standard", "standard", {
    "architecture": "standard", "d_in": D_IN, "d_sae": D_SAE, "dtype": "float32",
    "device": "cpu", "apply_b_dec_to_input": True, "normalize_activations": "none",
    "reshape_activations": "none",
    "metadata": {"model_name": "fixture", "hook_name": "blocks.1.mlp.hook_post",
                 "hook_head_index": None, "prepend_bos": False, "sae_lens_training_version": "6.5.0"},
}, seed=1)
# older SAELens style: hook name and k at the top level / in activation_fn_kwargs
make("topk", "topk", {
    "architecture": "topk", "d_in": D_IN, "d_sae": D_SAE, "dtype": "float32", "device": "cpu",
    "apply_b_dec_to_input": True, "normalize_activations": "none",
    "hook_name": "blocks.2.hook_resid_post", "activation_fn_kwargs": {"k": 5},
}, seed=2, k=5)
# a JumpReLU SAE stored in float16, b_dec not subtracted from the input
make("jumprelu", "jumprelu", {
    "architecture": "jumprelu", "d_in": D_IN, "d_sae": D_SAE, "dtype": "float16", "device": "cpu",
    "apply_b_dec_to_input": False, "normalize_activations": None,
    "metadata": {"hook_name": "blocks.0.mlp.hook_post"},
}, seed=3, apply_b_dec=False, dtype=np.float16)
print("wrote", os.path.abspath(OUT))
