#!/usr/bin/python3
"""Writes packages/segregate/src/fixtures/sklearn-split.json: scikit-learn's stratified split sizes
per class on the preprocessed genres_mod1 data, the oracle for the segregate tests. Run with
Debian's python3-sklearn:  /usr/bin/python3 scripts/gen-split-fixtures.py
"""
import json
import os
import pandas as pd
import sklearn
from sklearn.model_selection import train_test_split

here = os.path.dirname(__file__)
df = pd.read_csv(os.path.join(here, "..", "data", "genres_mod1.csv")).drop_duplicates().reset_index(drop=True)
out = {"sklearn": sklearn.__version__, "rows": len(df), "cases": []}
for test_size, val_size, seed in [(0.3, 0.0, 112233), (0.3, 0.3, 112233), (0.2, 0.25, 7), (0.45, 0.0, 1)]:
    rest, test = train_test_split(df, test_size=test_size, random_state=seed, stratify=df["genre"])
    case = {"test_size": test_size, "val_size": val_size, "seed": seed,
            "test": test["genre"].value_counts().sort_index().to_dict()}
    if val_size:
        train, val = train_test_split(rest, test_size=val_size, random_state=seed, stratify=rest["genre"])
        case["val"] = val["genre"].value_counts().sort_index().to_dict()
        case["train"] = train["genre"].value_counts().sort_index().to_dict()
    else:
        case["train"] = rest["genre"].value_counts().sort_index().to_dict()
    out["cases"].append(case)
path = os.path.join(here, "..", "packages", "segregate", "src", "fixtures", "sklearn-split.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
print("wrote", path)
