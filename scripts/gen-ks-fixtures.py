#!/usr/bin/python3
"""Writes packages/check-data/src/fixtures/ks-scipy.json.gz: ks_2samp results from scipy, the oracle
that the TypeScript ks2Samp is tested against. Run with Debian's python3-scipy:
    /usr/bin/python3 scripts/gen-ks-fixtures.py
"""
import gzip
import json
import os
import numpy as np
import scipy
from scipy import stats

rng = np.random.default_rng(20261127)
cases = []

def add(name, a, b, methods=("auto", "exact", "asymp")):
    for method in methods:
        r = stats.ks_2samp(a, b, method=method)
        cases.append({"name": name, "method": method, "a": [float(v) for v in a], "b": [float(v) for v in b],
                      "statistic": float(r.statistic), "pvalue": float(r.pvalue)})

add("public-5-7", [0.12, 0.45, 0.33, 0.91, 0.27], [0.5, 0.61, 0.08, 0.77, 0.95, 0.3, 0.84])
add("public-disjoint-10", [i / 10 for i in range(10)], [5 + i / 10 for i in range(10)])
for n1, n2, shift in [(20, 30, 0.0), (50, 50, 0.3), (100, 73, 0.1), (137, 140, 0.0), (300, 200, 0.2),
                      (1000, 800, 0.05), (2000, 2000, 0.0), (3000, 1000, 0.08)]:
    a = np.round(rng.normal(0, 1, n1), 3)
    b = np.round(rng.normal(shift, 1, n2), 3)
    add(f"normal-{n1}-{n2}-{shift}", a, b, ("auto", "exact", "asymp") if n1 * n2 < 5e6 else ("auto", "asymp"))
# Heavy ties: small integer values.
add("ties-int", rng.integers(0, 5, 200), rng.integers(0, 6, 150))
add("ties-equal", [1.0] * 40 + [2.0] * 10, [1.0] * 25 + [2.0] * 25)
# The auto switch at 10,000: exact at 10,000, asymptotic at 10,001.
a = np.round(rng.uniform(0, 1, 10000), 4)
b = np.round(rng.uniform(0.01, 1.01, 9000), 4)
add("auto-10000", a, b, ("auto",))
a = np.round(rng.uniform(0, 1, 10001), 4)
add("auto-10001", a, b, ("auto",))
# Large-n asymptotic regimes (Pelz-Good, Durbin, Smirnov tail).
for shift in [0.0, 0.005, 0.02, 0.05]:
    a = np.round(rng.normal(0, 1, 21000), 4)
    b = np.round(rng.normal(shift, 1, 20000), 4)
    add(f"large-{shift}", a, b, ("auto",))

out = os.path.join(os.path.dirname(__file__), "..", "packages", "check-data", "src", "fixtures", "ks-scipy.json.gz")
os.makedirs(os.path.dirname(out), exist_ok=True)
with gzip.open(out, "wt") as f:
    json.dump({"scipy": scipy.__version__, "cases": cases}, f)
print(f"{len(cases)} cases, scipy {scipy.__version__} -> {out}")
