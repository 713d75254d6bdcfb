#!/usr/bin/python3
"""Writes the oracles of the segregate tests, from Debian's numpy 1.24 and scikit-learn 1.2.1:

  packages/segregate/src/fixtures/numpy-random-state.json   RandomState draws, permutations, choices
  packages/segregate/src/fixtures/sklearn-splits.json.gz    train_test_split on many class layouts
  packages/segregate/src/fixtures/sklearn-bundled.json      sha256 of the bundled data's splits

Run with Debian's python3:  /usr/bin/python3 scripts/gen-split-fixtures.py
Each split case is a CSV (an `id` column and a `label` column), read with pandas.read_csv, split as
the original pipeline splits it, and recorded as the `id`s of each split in order (or their
sha256 when long), or as the error scikit-learn raised; the stratified cases at test_size 0.3 and
val_size 0.3 also record the sha256 of each split as pandas writes it (to_csv(index=False)).
"""
import gzip
import hashlib
import io
import json
import os
import random

import numpy as np
import pandas as pd
import sklearn
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
FIXTURES = os.path.join(ROOT, "packages", "segregate", "src", "fixtures")
SEEDS = [0, 1, 42, 112233, 2**32 - 1]
FULL_LIST_MAX = 64  # longer index lists are recorded as the sha256 of their comma-joined ids


def ids_digest(ids):
    return hashlib.sha256(",".join(str(i) for i in ids).encode()).hexdigest()


def record(ids):
    ids = [int(i) for i in ids]
    return ids if len(ids) <= FULL_LIST_MAX else {"n": len(ids), "sha256": ids_digest(ids)}


# ---------------------------------------------------------------- numpy RandomState
def numpy_fixture():
    out = {"numpy": np.__version__, "raw": [], "permutation": [], "choice": [], "shuffle": []}
    for seed in SEEDS + [5489]:
        rs = np.random.RandomState(seed)
        out["raw"].append({"seed": seed, "first": rs._bit_generator.random_raw(8).tolist(),
                           "after_1000": rs._bit_generator.random_raw(1000)[-4:].tolist()})
    for seed in SEEDS:
        for n in [0, 1, 2, 3, 7, 10, 100, 1000, 65535, 65536, 65537, 70001, 200000]:
            perm = np.random.RandomState(seed).permutation(n).tolist()
            out["permutation"].append({"seed": seed, "n": n, "head": perm[:16], "sha256": ids_digest(perm)})
        # Several draws from one stream: each call moves the stream on.
        rs = np.random.RandomState(seed)
        calls = []
        for a, size in [([4, 9, 2], 2), ([0, 1], 2), (list(range(10)), 3), ([5], 1), (list(range(33)), 33), (list(range(70000)), 5)]:
            calls.append({"a_n": len(a), "a_head": a[:40], "size": size, "out": rs.choice(np.array(a), size=size, replace=False).tolist()})
        out["choice"].append({"seed": seed, "calls": calls})
        rs = np.random.RandomState(seed)
        array = np.arange(100, 100 + 70000)
        rs.shuffle(array)
        permuted = rs.permutation(np.array([10, 20, 30, 40, 50])).tolist()
        out["shuffle"].append({"seed": seed, "start": 100, "n": 70000, "head": array[:16].tolist(), "sha256": ids_digest(array.tolist()), "then_permutation_of_10_to_50": permuted})
    return out


# ---------------------------------------------------------------- class layouts
def layouts():
    """(name, label cells as CSV text, in row order). Row order is shuffled, so classes interleave."""
    rng = random.Random(20261201)

    def shuffled(cells):
        cells = list(cells)
        rng.shuffle(cells)
        return cells

    def counts(spec):
        return shuffled([label for label, count in spec for _ in range(count)])

    out = [
        ("a7_b15", counts([("a", 7), ("b", 15)])),
        ("two_of_two", counts([("x", 2), ("y", 2)])),
        ("three_pairs", counts([("p", 2), ("q", 2), ("r", 2)])),
        ("pair_and_triple", counts([("p", 2), ("q", 3)])),
        ("ten_by_ten_ties", counts([(f"c{i}", 10) for i in range(10)])),
        ("five_by_three", counts([("u", 5), ("v", 5), ("w", 5)])),
        ("dominant", counts([("big", 500), ("x", 2), ("y", 3)])),
        ("dominant_2", counts([("major", 1000), ("minor", 2)])),
        ("fifty_small", counts([(f"k{i:02d}", 2 + i % 5) for i in range(50)])),
        ("hundred_triples", counts([(f"t{i}", 3) for i in range(100)])),
        ("sorted_input", [label for label, count in [("a", 6), ("b", 9), ("c", 4)] for _ in range(count)]),
        ("ints", counts([("10", 6), ("9", 5), ("-5", 4), ("100", 3), ("0", 7)])),
        ("ints_spelled", counts([("1", 4), ("01", 3), ("2", 5), ("+2", 2), ("10", 4)])),
        ("big_ints", counts([("9007199254740993", 4), ("9007199254740992", 5), ("-900719925474099312", 3), ("900719925474099311", 4)])),
        ("int64_extremes", counts([("9223372036854775807", 6), ("9223372036854775806", 5), ("-9223372036854775808", 7)])),
        ("uint64", counts([("18446744073709551615", 6), ("9223372036854775808", 5), ("1", 7)])),
        ("floats", counts([("1.5", 5), ("-0.0", 3), ("0.0", 4), ("1e-3", 3), ("2", 4), ("-7.25", 6)])),
        ("floats_equal_spellings", counts([("1.0", 3), ("1", 3), ("1.00", 2), ("2.5", 6), ("0.5", 4)])),
        ("bools", counts([("True", 9), ("False", 6)])),
        ("bools_spelled", counts([("TRUE", 3), ("true", 4), ("False", 5), ("FALSE", 2)])),
        ("numeric_strings", counts([("10", 4), ("9", 5), ("a", 3), ("1.5", 4)])),
        ("non_ascii", counts([("é", 8), ("e", 10), ("z", 6), ("Z", 8), ("ß", 6), ("ä", 10)])),
        ("astral", counts([("😀", 8), ("\uff5e", 10), ("a", 6), ("𝔸", 8), ("\ue000", 6)])),
        ("case_and_space", counts([("rap", 5), ("Rap", 4), ("rap metal", 3), ("R&B", 6)])),
        ("singleton", counts([("a", 5), ("b", 1), ("c", 4)])),
        ("all_singletons", counts([("a", 1), ("b", 1)])),
        ("val_leaves_one", counts([("a", 2), ("b", 40)])),
        ("many_classes_few_rows", counts([(f"m{i}", 2) for i in range(30)])),
    ]
    for k in range(10):
        classes = rng.randint(2, 20)
        out.append((f"random_{k}", counts([(f"g{c}", rng.randint(2, 60)) for c in range(classes)])))
    out.append(("large", counts([(f"L{c}", 200 + 37 * c) for c in range(15)])))
    # Labels that need quoting, and a text column of cells pandas quotes (or, for a lone CR, does not).
    out.append(("quoted_cells", counts([("a,b", 8), ('say "hi"', 7), ("plain", 9)])))
    return out


NOTES = ["x, y", "multi\nline", "cr\rinside", 'q"uote', "plain", "", "  spaced  "]


def csv_cell(text):
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n\r') else text


def csv_of(name, cells):
    if name == "quoted_cells":
        return "id,label,note\n" + "".join(f"{i},{csv_cell(cell)},{csv_cell(NOTES[i % len(NOTES)])}\n" for i, cell in enumerate(cells))
    return "id,label\n" + "".join(f"{i},{cell}\n" for i, cell in enumerate(cells))


def split_case(df, stratify, test_size, val_size, seed, files=False):
    """The original pipeline's split: test first, then validation out of the rest. With `files`,
    also the sha256 of each split as to_csv(index=False) writes it."""
    try:
        rest, test = train_test_split(df, test_size=test_size, random_state=seed, stratify=df["label"] if stratify else None)
    except ValueError as error:
        return {"error": str(error), "error_in": "test"}
    case = {"test": record(test["id"])}
    if not val_size:
        case["train"] = record(rest["id"])
        return case
    try:
        train, val = train_test_split(rest, test_size=val_size, random_state=seed, stratify=rest["label"] if stratify else None)
    except ValueError as error:
        return {"error": str(error), "error_in": "val"}
    case.update(train=record(train["id"]), val=record(val["id"]))
    if files:
        case["files"] = {name: hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest() for name, frame in [("train", train), ("test", test), ("val", val)]}
    return case


def sklearn_fixture():
    out = {"sklearn": sklearn.__version__, "pandas": pd.__version__, "layouts": []}
    sizes = [(0.3, 0.3), (0.5, 0), (0.25, 0.5), (3, 2), (0.2, 0)]
    for name, cells in layouts():
        text = csv_of(name, cells)
        df = pd.read_csv(io.StringIO(text))
        n = len(df)
        layout = {"name": name, "csv": text, "dtype": str(df["label"].dtype), "cases": []}
        for seed in SEEDS:
            for test_size, val_size in sizes:
                for stratify in (True, False):
                    if not stratify and (test_size, val_size) not in [(0.3, 0.3), (3, 2)]:
                        continue
                    case = {"seed": seed, "test_size": test_size, "val_size": val_size, "stratify": stratify}
                    end_to_end = stratify and (test_size, val_size) == (0.3, 0.3)
                    case.update(split_case(df, stratify, test_size, val_size, seed, files=end_to_end))
                    layout["cases"].append(case)
        # A row count that is the whole table, and one larger, which scikit-learn refuses.
        for size in (n, n + 5, 0.999):
            case = {"seed": 1, "test_size": size, "val_size": 0, "stratify": True}
            case.update(split_case(df, True, size, 0, 1))
            layout["cases"].append(case)
        out["layouts"].append(layout)
    return out


# ---------------------------------------------------------------- the bundled data
def bundled_fixture():
    """The default config (test_size 0.3, val_size 0.3, seed 112233, stratify genre) on the table
    mldp's preprocess makes of data/genres_mod1.csv: duplicates dropped and the text feature added
    (pandas: the preprocessing of the original pipeline), written and read back as CSV."""
    raw = pd.read_csv(os.path.join(ROOT, "data", "genres_mod1.csv")).drop_duplicates()
    raw["text_feature"] = raw["title"].fillna("") + " " + raw["song_name"].fillna("")
    preprocessed = raw.to_csv(index=False)
    df = pd.read_csv(io.StringIO(preprocessed))
    out = {"preprocessed_sha256": hashlib.sha256(preprocessed.encode()).hexdigest(), "rows": len(df), "cases": []}
    for test_size, val_size, seed, stratify in [(0.3, 0.3, 112233, "genre"), (0.3, 0, 112233, "genre"), (0.2, 0.25, 7, None)]:
        rest, test = train_test_split(df, test_size=test_size, random_state=seed, stratify=df[stratify] if stratify else None)
        splits = {"test": test}
        if val_size:
            splits["train"], splits["val"] = train_test_split(rest, test_size=val_size, random_state=seed, stratify=rest[stratify] if stratify else None)
        else:
            splits["train"] = rest
        out["cases"].append({
            "test_size": test_size, "val_size": val_size, "seed": seed, "stratify": stratify,
            "sha256": {name: hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest() for name, frame in splits.items()},
            "rows": {name: len(frame) for name, frame in splits.items()},
        })
    return out


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    with open(os.path.join(FIXTURES, "numpy-random-state.json"), "w") as f:
        json.dump(numpy_fixture(), f, separators=(",", ":"))
    data = json.dumps(sklearn_fixture(), separators=(",", ":"), ensure_ascii=False).encode()
    with open(os.path.join(FIXTURES, "sklearn-splits.json.gz"), "wb") as f:
        f.write(gzip.compress(data, mtime=0))
    with open(os.path.join(FIXTURES, "sklearn-bundled.json"), "w") as f:
        json.dump(bundled_fixture(), f, indent=1)
    print("wrote", FIXTURES)


if __name__ == "__main__":
    main()
