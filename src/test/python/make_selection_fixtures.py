#!/usr/bin/env python3
"""Golden fixtures for io.anw.neuron.EntropySelector: an independent numpy implementation of
LAPE/AAPE selection (Tang et al. 2024; Kawamura et al. 2026), written as JSON.

Run with Debian's python3 (numpy): /usr/bin/python3 src/test/python/make_selection_fixtures.py
Writes src/test/resources/neuron/selection_cases.json.
"""
import json
import os

import numpy as np


def select(over_zero, n, filter_rate, top_rate, bar):
    over_zero = over_zero.astype(np.float64)
    n = n.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, over_zero / np.where(n > 0, n, 1), 0.0)
        s = p.sum(-1, keepdims=True)
        q = np.where(s > 0, p / np.where(s > 0, s, 1), 0.0)
        logq = np.where(q > 0, np.log(np.where(q > 0, q, 1)), 0.0)
    h = -(q * logq).sum(-1)
    flat = np.sort(p.ravel())

    def kth(rate):
        k = int(round(flat.size * rate))  # Python's round: half to even
        k = min(max(k, 1), flat.size)
        return float(flat[k - 1])

    v_filter = kth(filter_rate)
    eligible = (p > v_filter).any(-1).ravel()
    hf = h.ravel()
    order = np.argsort(hf, kind="stable")
    order = [i for i in order if eligible[i]]
    quota = int(round(hf.size * top_rate))
    kept = order[:quota]
    v_bar = kth(bar)
    layers, neurons = h.shape
    assignments = []
    for i in kept:
        l, j = divmod(int(i), neurons)
        for c in range(p.shape[-1]):
            if p[l, j, c] > v_bar:
                assignments.append([l, j, c, float(hf[i])])
    return {
        "v_filter": v_filter,
        "v_bar": v_bar,
        "kept": [[int(i) // neurons, int(i) % neurons] for i in kept],
        "assignments": assignments,
        "entropy": [float(x) for x in hf],
    }


def case(name, rng, layers, neurons, classes, n, density, params):
    n = np.asarray(n, dtype=np.int64)
    # Neurons with a preferred class and a base rate; some never active.
    base = rng.beta(0.5, 2.0, size=(layers, neurons, 1)) * density
    pref = rng.integers(0, classes, size=(layers, neurons))
    boost = np.zeros((layers, neurons, classes))
    np.put_along_axis(boost, pref[..., None], rng.uniform(0, 0.8, size=(layers, neurons, 1)), -1)
    prob = np.clip(base + boost, 0, 1)
    prob[rng.random((layers, neurons)) < 0.1] = 0.0
    over_zero = rng.binomial(np.broadcast_to(n, prob.shape), prob).astype(np.int64)
    out = {"name": name, "classes": [f"c{i}" for i in range(classes)],
           "layers": layers, "neurons": neurons,
           "over_zero": over_zero.ravel().tolist(), "n": n.tolist(), "results": []}
    for method, fr, tr, br in params:
        r = select(over_zero, n, fr, tr, br)
        r.update({"method": method, "filter_rate": fr, "top_rate": tr, "activation_bar": br})
        out["results"].append(r)
    return out


def main():
    rng = np.random.default_rng(20260101)
    params = [("lape", 0.95, 0.01, 0.95), ("aape", 0.05, 0.01, 0.95),
              ("aape", 0.05, 0.1, 0.9), ("lape", 0.5, 0.25, 0.75)]
    cases = [
        case("random-4-classes", rng, 3, 40, 4, [500, 800, 650, 1200], 0.6, params),
        case("class-without-tokens", rng, 2, 50, 5, [300, 0, 420, 390, 510], 0.5, params),
        case("many-classes", rng, 4, 64, 10, list(rng.integers(100, 1000, 10)), 0.4, params),
    ]
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "resources", "neuron", "selection_cases.json")
    with open(out, "w") as f:
        json.dump(cases, f)
    print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
