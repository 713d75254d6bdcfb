#!/usr/bin/python3
"""The original "ML Data Pipeline HandsOn" pipeline on pandas, for the benchmark's side-by-side figures.

bench/bench.mjs runs it with Debian's /usr/bin/python3 (python3-pandas, python3-scipy,
python3-sklearn) on the files it measures mldp on; it is an anchor to measure against.

Original: github.com/wasuratme96/Machine-Learning-DevOps-Engineering,
folder "Reproducible ML Pipeline/ML Data Pipeline HandsOn" (main.py, config.yaml,
preprocess/run.py, checkdata/conftest.py + test_data.py, segregate/run.py).

Same semantics as the original, minus wandb/mlflow/hydra/pytest:

* download   -> not re-implemented (the original only copies a URL into a W&B artifact).
                The input here is a local CSV (the original reads a parquet file).
* preprocess -> read input, df.drop_duplicates().reset_index(drop=True),
                fillna('') on 'title' and 'song_name',
                text_feature = title + ' ' + song_name,
                df.to_csv(<workdir>/processed_data.csv)  -- WITH the pandas index, exactly
                like the original (so the file gets a leading unnamed index column which
                pandas reads back as "Unnamed: 0").
* checkdata  -> the four tests of checkdata/test_data.py, with the data fixture of
                conftest.py: sample1 = pd.read_csv(reference), sample2 = pd.read_csv(sample).
                Reported pass/fail per test (+ the KS statistics and p-values).
* segregate  -> pd.read_csv(processed, low_memory=False);
                train_test_split(df, test_size, random_state, stratify=df['genre']);
                train.to_csv(<workdir>/data_train.csv), test.to_csv(<workdir>/data_test.csv)
                (again WITH the index, as in the original; artifact_root = "data").

Like the original (mlflow.run raises when the pytest step fails), a failing checkdata
step stops the pipeline before segregate, unless --keep-going is given.

Each step re-reads its input from disk, as the original steps (separate processes
exchanging CSV artifacts) do; that I/O is part of each step's wall time.

The last line printed to stdout is a JSON object with per-step wall time, results and the
process peak RSS (resource.getrusage(RUSAGE_SELF).ru_maxrss).
"""
import argparse
import json
import os
import resource
import sys
import time

_T_START = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy  # noqa: E402
import scipy.stats  # noqa: E402
import sklearn  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
_T_IMPORTS = time.perf_counter() - _T_START

PROCESSED = "processed_data.csv"
ARTIFACT_ROOT = "data"

# ---- copied from checkdata/test_data.py -------------------------------------------------
REQUIRED_COLUMNS = {
    "time_signature": pd.api.types.is_integer_dtype,
    "key": pd.api.types.is_integer_dtype,
    "danceability": pd.api.types.is_float_dtype,
    "energy": pd.api.types.is_float_dtype,
    "loudness": pd.api.types.is_float_dtype,
    "speechiness": pd.api.types.is_float_dtype,
    "acousticness": pd.api.types.is_float_dtype,
    "instrumentalness": pd.api.types.is_float_dtype,
    "liveness": pd.api.types.is_float_dtype,
    "valence": pd.api.types.is_float_dtype,
    "tempo": pd.api.types.is_float_dtype,
    "duration_ms": pd.api.types.is_integer_dtype,  # integer, not float
    "text_feature": pd.api.types.is_string_dtype,
    "genre": pd.api.types.is_string_dtype,
}

KNOWN_CLASSES = [
    "Dark Trap", "Underground Rap", "Trap Metal", "Emo", "Rap", "RnB", "Pop", "Hiphop",
    "techhouse", "techno", "trance", "psytrance", "trap", "dnb", "hardstyle",
]

RANGES = {
    "time_signature": (1, 5),
    "key": (0, 11),
    "danceability": (0, 1),
    "energy": (0, 1),
    "loudness": (-35, 5),
    "speechiness": (0, 1),
    "acousticness": (0, 1),
    "instrumentalness": (0, 1),
    "liveness": (0, 1),
    "valence": (0, 1),
    "tempo": (50, 250),
    "duration_ms": (20000, 1000000),
}

KS_COLUMNS = [
    "danceability", "energy", "loudness", "speechiness", "acousticness",
    "instrumentalness", "liveness", "valence", "tempo", "duration_ms",
]
# ------------------------------------------------------------------------------------------


def _maxrss_mb():
    # Linux: ru_maxrss is in KiB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _num(x):
    """JSON-safe float (NaN/inf -> string)."""
    x = float(x)
    if np.isfinite(x):
        return x
    return str(x)


# ---------------------------------------------------------------- preprocess (preprocess/run.py)
def preprocess(input_path, out_path):
    t = [time.perf_counter()]
    # original: df = pd.read_parquet(artifact_path)
    df = pd.read_csv(input_path)
    rows_in = len(df)
    t.append(time.perf_counter())

    df = df.drop_duplicates().reset_index(drop=True)
    t.append(time.perf_counter())

    # original: df['title'].fillna(value='', inplace=True) (chained inplace; works on pandas 1.2)
    df["title"] = df["title"].fillna(value="")
    df["song_name"] = df["song_name"].fillna(value="")
    df["text_feature"] = df["title"] + " " + df["song_name"]
    t.append(time.perf_counter())

    df.to_csv(out_path)  # index written, as in the original
    t.append(time.perf_counter())
    return {"rows_in": rows_in, "rows_out": len(df), "duplicates_dropped": rows_in - len(df),
            "columns_out": ["<index>"] + list(df.columns), "output": out_path,
            "phases_s": {"read": t[1] - t[0], "drop_duplicates": t[2] - t[1],
                         "fillna_text_feature": t[3] - t[2], "write": t[4] - t[3]}}


# ---------------------------------------------------------------- checkdata (checkdata/*.py)
def test_column_presence_and_type(data):
    _, data = data
    missing = sorted(set(REQUIRED_COLUMNS) - set(data.columns.values))
    if missing:
        return {"passed": False, "reason": f"missing columns {missing}"}
    per_col = {}
    first_fail = None
    for col_name, fn in REQUIRED_COLUMNS.items():
        ok = bool(fn(data[col_name]))
        per_col[col_name] = {"dtype": str(data[col_name].dtype), "check": fn.__name__, "ok": ok}
        if not ok and first_fail is None:
            first_fail = f"Column {col_name} failed test {fn.__name__} (dtype {data[col_name].dtype})"
    res = {"passed": first_fail is None, "columns": per_col}
    if first_fail:
        res["reason"] = first_fail
    return res


def test_class_names(data):
    _, data = data
    ok = bool(data["genre"].isin(KNOWN_CLASSES).all())
    res = {"passed": ok}
    if not ok:
        bad = data.loc[~data["genre"].isin(KNOWN_CLASSES), "genre"]
        res["unknown_values"] = {str(k): int(v) for k, v in bad.value_counts(dropna=False).items()}
    return res


def test_column_ranges(data):
    _, data = data
    per_col = {}
    first_fail = None
    for col_name, (minimum, maximum) in RANGES.items():
        ok = bool(data[col_name].dropna().between(minimum, maximum).all())
        per_col[col_name] = {"min": _num(data[col_name].min()), "max": _num(data[col_name].max()),
                             "allowed": [minimum, maximum], "ok": ok}
        if not ok and first_fail is None:
            first_fail = (f"Column {col_name} failed the test. Should be between {minimum} and "
                          f"{maximum}, instead min={data[col_name].min()} and max={data[col_name].max()}")
    res = {"passed": first_fail is None, "columns": per_col}
    if first_fail:
        res["reason"] = first_fail
    return res


def test_kolmogorov_smirnov(data, ks_alpha):
    sample1, sample2 = data
    alpha_prime = 1 - (1 - ks_alpha) ** (1 / len(KS_COLUMNS))
    per_col = {}
    first_fail = None
    for col in KS_COLUMNS:
        ts, p_value = scipy.stats.ks_2samp(sample1[col], sample2[col])
        ok = bool(p_value > alpha_prime)
        per_col[col] = {"statistic": _num(ts), "pvalue": _num(p_value), "ok": ok}
        if not ok and first_fail is None:  # the original asserts inside the loop
            first_fail = col
    res = {"passed": first_fail is None, "alpha": ks_alpha, "alpha_prime": alpha_prime,
           "n_reference": int(len(sample1)), "n_sample": int(len(sample2)), "columns": per_col}
    if first_fail:
        res["reason"] = f"first failing column: {first_fail}"
    return res


def checkdata(reference_path, sample_path, ks_alpha):
    # conftest.py data fixture: (reference, sample), both with pd.read_csv defaults
    t0 = time.perf_counter()
    sample1 = pd.read_csv(reference_path)
    sample2 = pd.read_csv(sample_path)
    t_read = time.perf_counter() - t0
    data = (sample1, sample2)
    t1 = time.perf_counter()
    tests = {}
    for name, fn in [("test_column_presence_and_type", test_column_presence_and_type),
                     ("test_class_names", test_class_names),
                     ("test_column_ranges", test_column_ranges)]:
        try:
            tests[name] = fn(data)
        except Exception as e:  # pytest would report an error for this test
            tests[name] = {"passed": False, "error": repr(e)}
    t2 = time.perf_counter()
    try:
        tests["test_kolmogorov_smirnov"] = test_kolmogorov_smirnov(data, ks_alpha)
    except Exception as e:
        tests["test_kolmogorov_smirnov"] = {"passed": False, "error": repr(e)}
    tests["test_kolmogorov_smirnov"]["wall_s"] = time.perf_counter() - t2
    passed = all(t["passed"] for t in tests.values())
    return {"passed": passed, "read_s": t_read, "tests_s": time.perf_counter() - t1,
            "reference": reference_path, "sample": sample_path, "tests": tests}


# ---------------------------------------------------------------- segregate (segregate/run.py)
def segregate(processed_path, workdir, test_size, random_state, stratify="genre"):
    t = [time.perf_counter()]
    df = pd.read_csv(processed_path, low_memory=False)
    t.append(time.perf_counter())
    splits = {}
    splits["train"], splits["test"] = train_test_split(
        df,
        test_size=test_size,
        random_state=random_state,
        stratify=df[stratify] if stratify != "null" else None,
    )
    t.append(time.perf_counter())
    out = {}
    for split, d in splits.items():
        path = os.path.join(workdir, f"{ARTIFACT_ROOT}_{split}.csv")
        d.to_csv(path)  # index written, as in the original
        out[split] = {"path": path, "rows": int(len(d)),
                      "per_class": {str(k): int(v) for k, v in
                                    d[stratify].value_counts().sort_index().items()}}
    t.append(time.perf_counter())
    out["phases_s"] = {"read": t[1] - t[0], "split": t[2] - t[1], "write": t[3] - t[2]}
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--input", required=True, help="raw input CSV (stands in for raw_data.parquet)")
    p.add_argument("--reference", help="reference CSV for checkdata (a previous preprocessed_data.csv)")
    p.add_argument("--workdir", required=True)
    p.add_argument("--test-size", type=float, default=0.3)
    p.add_argument("--seed", type=int, default=42,
                   help="random_state of train_test_split (original main.py never passes it, so 42)")
    p.add_argument("--ks-alpha", type=float, default=0.05)
    p.add_argument("--stratify", default="genre")
    p.add_argument("--steps", default="preprocess,checkdata,segregate")
    p.add_argument("--keep-going", action="store_true",
                   help="run segregate even if checkdata failed (the original stops)")
    p.add_argument("--quiet", action="store_true", help="print only the final JSON line")
    a = p.parse_args(argv)

    steps = [s.strip() for s in a.steps.split(",") if s.strip()]
    unknown = set(steps) - {"download", "preprocess", "checkdata", "segregate"}
    if unknown:
        p.error(f"unknown steps {sorted(unknown)}")
    os.makedirs(a.workdir, exist_ok=True)
    processed = os.path.join(a.workdir, PROCESSED)

    report = {"versions": {"python": sys.version.split()[0], "pandas": pd.__version__,
                           "numpy": np.__version__, "scipy": scipy.__version__,
                           "sklearn": sklearn.__version__},
              "args": vars(a), "import_s": _T_IMPORTS, "steps": {}}
    exit_code = 0
    t_all = time.perf_counter()
    for step in ["download", "preprocess", "checkdata", "segregate"]:
        if step not in steps:
            continue
        t0 = time.perf_counter()
        if step == "download":
            res = {"skipped": "no network step; --input is used directly"}
        elif step == "preprocess":
            res = preprocess(a.input, processed)
        elif step == "checkdata":
            if not a.reference:
                p.error("--reference is required for checkdata")
            res = checkdata(a.reference, processed, a.ks_alpha)
            if not res["passed"]:
                exit_code = 1
        else:
            if exit_code and not a.keep_going:
                report["steps"]["segregate"] = {"skipped": "checkdata failed (original pipeline stops)"}
                continue
            res = segregate(processed, a.workdir, a.test_size, a.seed, a.stratify)
        res["wall_s"] = time.perf_counter() - t0
        res["maxrss_mb_after"] = _maxrss_mb()
        report["steps"][step] = res
        if not a.quiet:
            print(f"[{step}] {res['wall_s']:.3f}s  maxrss={res['maxrss_mb_after']:.1f}MB", file=sys.stderr)
    report["total_wall_s"] = time.perf_counter() - t_all
    report["peak_rss_mb"] = _maxrss_mb()
    report["exit_code"] = exit_code
    print(json.dumps(report))
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
