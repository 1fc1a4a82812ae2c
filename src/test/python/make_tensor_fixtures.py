#!/usr/bin/python3
"""Writes the golden tensor files for io.anw.tensor tests into src/test/resources/tensor/.

Run with Debian's interpreter (python3-torch 1.13, numpy), from the project root:

    /usr/bin/python3 src/test/python/make_tensor_fixtures.py

Besides the fixtures it writes expected.json: for each readable file, the flattened keys the
workbench must produce, each tensor's dtype, shape and exact bytes (row-major, little-endian,
as hex), and each metadata leaf as Python's str(). The malicious files are only pickled here,
never loaded.
"""
import argparse
import collections
import json
import os
import struct
import sys
from pathlib import Path, PurePath, PurePosixPath

import numpy as np
import torch

OUT = Path(__file__).resolve().parents[1] / "resources" / "tensor"
PWNED = "/tmp/anw-tensor-pwned"

TORCH_DTYPES = {
    torch.float16: "F16", torch.bfloat16: "BF16", torch.float32: "F32", torch.float64: "F64",
    torch.int8: "I8", torch.uint8: "U8", torch.int16: "I16", torch.int32: "I32", torch.int64: "I64",
    torch.bool: "BOOL",
}
NUMPY_KINDS = {"f2": "F16", "f4": "F32", "f8": "F64", "i1": "I8", "u1": "U8", "i2": "I16", "u2": "U16",
               "i4": "I32", "u4": "U32", "i8": "I64", "u8": "U64", "b1": "BOOL"}


def tensor_entry(t):
    t = t.detach().contiguous().reshape(-1)
    raw = t.view(torch.int16) if t.dtype == torch.bfloat16 else t
    data = raw.numpy().astype(raw.numpy().dtype.newbyteorder("<")).tobytes()
    return TORCH_DTYPES[t.dtype], data


def numpy_entry(a):
    kind = a.dtype.str[1:]
    le = np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<"))
    return NUMPY_KINDS[kind], le.tobytes()


def pystr(v):
    if isinstance(v, np.generic):
        v = v.item()
    return str(v) if isinstance(v, (str, torch.device, PurePath)) else repr(v)


def flatten(obj, prefix="", root="value", out=None):
    """The workbench's flattening rules, in Python, for the expected values."""
    out = out if out is not None else {"tensors": {}, "metadata": {}}
    key = prefix or root
    join = lambda k: str(k) if not prefix else prefix + "." + str(k)
    if isinstance(obj, torch.Tensor):
        dtype, data = tensor_entry(obj)
        out["tensors"][key] = {"dtype": dtype, "shape": list(obj.shape), "hex": data.hex()}
    elif isinstance(obj, np.ndarray) and obj.dtype.kind in "US":
        out["metadata"][key] = obj.item() if obj.ndim == 0 else repr(obj.tolist())
    elif isinstance(obj, np.ndarray):
        dtype, data = numpy_entry(obj)
        out["tensors"][key] = {"dtype": dtype, "shape": list(obj.shape), "hex": data.hex()}
    elif isinstance(obj, dict) and obj:
        for k, v in obj.items():
            flatten(v, join(k if not isinstance(k, tuple) else repr(k)), root, out)
    elif isinstance(obj, argparse.Namespace) and vars(obj):
        for k, v in vars(obj).items():
            flatten(v, join(k), root, out)
    elif isinstance(obj, (list, tuple)) and obj:
        for i, v in enumerate(obj):
            flatten(v, join(i), root, out)
    else:
        out["metadata"][key] = pystr(obj)
    return out


class Evil:
    """Pickles to os.system(...): loading it with pickle would create PWNED."""

    def __reduce__(self):
        return (os.system, ("touch " + PWNED,))


class EvilEval:
    def __reduce__(self):
        import builtins
        return (builtins.eval, ("__import__('os').system('touch " + PWNED + "')",))


class Block(torch.nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm1 = torch.nn.LayerNorm(d)
        self.mlp = torch.nn.Sequential(collections.OrderedDict(
            fc1=torch.nn.Linear(d, 2 * d), act=torch.nn.GELU(), fc2=torch.nn.Linear(2 * d, d)))


class TinyViT(torch.nn.Module):
    def __init__(self, d=8, depth=2):
        super().__init__()
        self.pos_embed = torch.nn.Parameter(torch.randn(1, 5, d))
        self.blocks = torch.nn.ModuleList([Block(d) for _ in range(depth)])
        self.register_buffer("mask_ratio", torch.tensor(0.6))


def float_values(dtype):
    v = torch.tensor([[0.0, -0.0, 1.5], [-2.25, float("inf"), float("nan")]], dtype=torch.float64)
    return v.to(dtype)


def mixed():
    ints = torch.tensor([[0, 1, -1], [127, -128, 42]], dtype=torch.int64)
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    shared = torch.arange(10, dtype=torch.int32).reshape(2, 5)
    return {
        "dtypes": {
            "f16": float_values(torch.float16), "bf16": float_values(torch.bfloat16),
            "f32": float_values(torch.float32), "f64": float_values(torch.float64) * 1e300,
            "i8": ints.to(torch.int8), "u8": (ints.abs()).to(torch.uint8), "i16": ints.to(torch.int16) * 200,
            "i32": ints.to(torch.int32) * 100000, "i64": ints * 10 ** 15,
            "bool": torch.tensor([[True, False, True], [False, False, True]]),
        },
        "views": {
            "transposed": base.t(),
            "sliced": base[1:, 2],
            "block": base[:, 1:3],
            "shared_a": shared,
            "shared_b": shared[1, 1:4],
            "scalar": torch.tensor(3.5),
            "empty": torch.zeros(0, 3),
        },
        "nested": {
            "list": [torch.ones(2), (torch.zeros(1, dtype=torch.int64), {"deep": torch.full((2, 2), 7.0)})],
            "od": collections.OrderedDict([("b", 1), ("a", torch.arange(3))]),
        },
        "args": argparse.Namespace(lr=0.0003, name="m2d", flag=True, none=None, layers=[1, 2], ratio=1e-05),
        "np": {
            "f32": np.float32(1.5), "i64": np.int64(7), "bool": np.bool_(True),
            "arr": np.arange(6, dtype=np.int32).reshape(2, 3),
            "arr_f": np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3)),
            "arr_be": np.arange(3, dtype=">i2"),
            "words": np.array(["ab", "c"]),
        },
        "misc": {
            "set": {1, 2}, "big": 2 ** 70, "neg": -5, "bytes": b"ab", "empty_list": [], "empty_dict": {},
            "tuple_key": {(1, 2): "x"}, "device": torch.device("cpu"), "dtype": torch.float16,
            "text": "it's", "pi": 3.14159, "tiny": 1.5e-10, "huge": 2.5e20,
            "complex": 1.5 - 2j, "imaginary": 2j, "slice": slice(1, 2), "dd": collections.defaultdict(list, {"k": [1]}),
        },
        "param": torch.nn.Parameter(torch.ones(2)),
        "step": 300,
    }


def write_safetensors(path, tensors, metadata=None, header_override=None, pad=True):
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, shape, data) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if header_override:
        header_override(header)
    h = json.dumps(header).encode()
    if pad:
        h += b" " * ((8 - len(h) % 8) % 8)
    path.write_bytes(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def safetensors_tensors():
    out = {}
    sources = {
        "f16": float_values(torch.float16), "bf16": float_values(torch.bfloat16),
        "f32": float_values(torch.float32), "f64": float_values(torch.float64),
        "i8": torch.tensor([-128, 0, 127], dtype=torch.int8), "u8": torch.tensor([0, 200, 255], dtype=torch.uint8),
        "i16": torch.tensor([-32768, 1, 32767], dtype=torch.int16),
        "i32": torch.tensor([[-2 ** 31, 0], [5, 2 ** 31 - 1]], dtype=torch.int32),
        "i64": torch.tensor([-2 ** 63, 2 ** 63 - 1], dtype=torch.int64),
        "bool": torch.tensor([True, False, True]),
        "scalar": torch.tensor(2.0), "empty": torch.zeros(0, 4),
    }
    for name, t in sources.items():
        dtype, data = tensor_entry(t)
        out[name] = (dtype, list(t.shape), data)
    return out, sources


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for f in OUT.iterdir():
        f.unlink()
    expected = {}

    torch.manual_seed(0)
    obj = mixed()
    torch.save(obj, OUT / "torch_zip.pt")
    torch.save(obj, OUT / "torch_legacy.pt", _use_new_zipfile_serialization=False)
    expected["torch_zip.pt"] = flatten(obj, root="torch_zip")
    expected["torch_legacy.pt"] = flatten(obj, root="torch_legacy")

    model = TinyViT()
    ckpt = {"model": model.state_dict(), "epoch": 299,
            "args": argparse.Namespace(model="m2d_vit_base", epochs=300, lr=0.0003, input_size=[80, 208])}
    torch.save(ckpt, OUT / "m2d_like.pth")
    expected["m2d_like.pth"] = flatten(ckpt)

    lape = [[torch.tensor(sorted({(7 * lang + 3 * layer + k) % 32 for k in range(3)}), dtype=torch.int64)
             for layer in range(4)] for lang in range(2)]
    torch.save(lape, OUT / "lape_like.neuron.pth")
    expected["lape_like.neuron.pth"] = flatten(lape)

    over_zero = {"n": 1234, "over_zero": torch.randint(0, 100, (4, 16), dtype=torch.int32)}
    torch.save(over_zero, OUT / "aape_over_zero.pt")
    expected["aape_over_zero.pt"] = flatten(over_zero)

    root = torch.arange(4, dtype=torch.float32)
    torch.save(root, OUT / "root_tensor.pt")
    expected["root_tensor.pt"] = flatten(root, root="root_tensor")

    npys = {
        "f32.npy": np.arange(12, dtype="<f4").reshape(3, 4) / 3,
        "f64_be.npy": np.array([[1.0, -2.5, np.pi], [np.inf, 0.0, 1e-300]], dtype=">f8"),
        "i32_fortran.npy": np.asfortranarray(np.arange(12, dtype="<i4").reshape(3, 4)),
        "i64_be_fortran.npy": np.asfortranarray((np.arange(6).reshape(2, 3) * -7).astype(">i8")),
        "bool.npy": np.array([[True, False], [False, True]]),
        "u16.npy": np.array([0, 1, 65535], dtype="<u2"),
        "f16_be.npy": np.array([0.5, -1.0, 65504.0], dtype=">f2"),
        "scalar.npy": np.array(2.5),
        "unicode.npy": np.array([["alpha", "\u03b2"], ["", "d\u00e9j\u00e0"]]),
    }
    for name, a in npys.items():
        np.save(OUT / name, a)
        expected[name] = flatten(a, root=name[:-4])

    arrays = {"i8": np.array([-1, 2], dtype="i1"), "u8": np.array([255], dtype="u1"),
              "i16": np.array([-300], dtype="<i2"), "u32": np.array([4000000000], dtype="<u4"),
              "u64": np.array([2 ** 63 + 5], dtype="<u8"), "f64": np.array([0.1, 0.2]),
              "labels": np.array(["dog", "cat", "bird"])}
    np.savez(OUT / "arrays.npz", **arrays)
    expected["arrays.npz"] = flatten(arrays)
    packed = {"x": np.linspace(0, 1, 50, dtype=np.float32).reshape(5, 10), "names": np.array(["a", "bc"])}
    np.savez_compressed(OUT / "compressed.npz", **packed)
    expected["compressed.npz"] = flatten(packed)

    st, sources = safetensors_tensors()
    meta = {"format": "pt", "epoch": "3"}
    write_safetensors(OUT / "all.safetensors", st, meta)
    expected["all.safetensors"] = flatten(sources)
    expected["all.safetensors"]["metadata"] = meta

    # Malformed files: each must give a one-line TensorFileException.
    data = (OUT / "all.safetensors").read_bytes()
    (OUT / "truncated.safetensors").write_bytes(data[:-10])
    (OUT / "oversized_header.safetensors").write_bytes(struct.pack("<Q", 2 ** 40) + data[8:200])
    two = {"a": ("F32", [2], b"\0" * 8), "b": ("F32", [2], b"\0" * 8)}
    write_safetensors(OUT / "overlap.safetensors", two,
                      header_override=lambda h: h["b"].update(data_offsets=[4, 12]))
    write_safetensors(OUT / "bad_nbytes.safetensors", two,
                      header_override=lambda h: h["b"].update(shape=[3]))
    zipped = (OUT / "torch_zip.pt").read_bytes()
    (OUT / "truncated_zip.pt").write_bytes(zipped[: len(zipped) // 2])
    legacy = (OUT / "torch_legacy.pt").read_bytes()
    (OUT / "truncated_legacy.pt").write_bytes(legacy[: len(legacy) * 2 // 3])
    npy = (OUT / "f32.npy").read_bytes()
    (OUT / "truncated.npy").write_bytes(npy[:-8])

    q = torch.quantize_per_tensor(torch.tensor([0.5, 1.0]), scale=0.5, zero_point=0, dtype=torch.qint8)
    torch.save({"q": q}, OUT / "quantized.pt")
    torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), str(OUT / "torchscript.pt"))

    # Malicious pickles: never loaded, only written.
    torch.save({"weight": torch.ones(2), "payload": Evil()}, OUT / "evil_zip.pt")
    torch.save({"weight": torch.ones(2), "payload": Evil()}, OUT / "evil_legacy.pt",
               _use_new_zipfile_serialization=False)
    import pickle
    (OUT / "evil_eval.pkl").write_bytes(pickle.dumps({"x": EvilEval()}, protocol=4))
    (OUT / "plain.pkl").write_bytes(pickle.dumps({"a": np.arange(3), "b": [1, "two"]}, protocol=4))
    expected["plain.pkl"] = flatten({"a": np.arange(3), "b": [1, "two"]})

    p5 = {"fortran": np.asfortranarray(np.arange(6, dtype=">i2").reshape(2, 3)), "c": np.arange(4.0),
          "path": PurePosixPath("/data/audio"), "torch_version": torch.__version__}
    (OUT / "protocol5.pkl").write_bytes(pickle.dumps(p5, protocol=5))
    expected["protocol5.pkl"] = flatten(p5)

    with open(OUT / "expected.json", "w") as f:
        json.dump(expected, f, indent=1, sort_keys=False)
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(list(OUT.iterdir()))} files, {total} bytes, torch {torch.__version__}, numpy {np.__version__}")


if __name__ == "__main__":
    sys.exit(main())
