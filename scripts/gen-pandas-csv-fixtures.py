#!/usr/bin/python3
"""Writes the differential CSV corpus in packages/table/src/fixtures/pandas-csv/: tricky CSV inputs
and what pandas 1.5.3 makes of them, the oracle that `canonicalizeCsv` (@mldp/table) is tested
against, byte for byte.

For each case NAME:
  NAME.csv            the input, written here as exact bytes (NAME.csv.gz for the large cases)
  NAME.expected.json  {"output": df.to_csv(index=False), "dtypes": [...], "columns": [...],
                       "rows": len(df), "drop_duplicates": df.drop_duplicates().to_csv(index=False)}
                      or {"error": "<ExceptionClass>: <message>"} where pandas raises.
                      Large cases hold "output_sha256"/"output_bytes" and
                      "drop_duplicates_sha256"/"drop_duplicates_bytes" instead of the texts.
  manifest.json       every case: name, input file, whether it is gzipped or read from an npm
                      package (csv-spectrum's files are read from node_modules, not copied).
where df = pandas.read_csv(path) with every default (C parser, low_memory=True).

Regenerate (needs Debian's python3-pandas 1.5.3 and `npm ci` done, for csv-spectrum):
    /usr/bin/python3 scripts/gen-pandas-csv-fixtures.py
The script deletes the folder's old fixtures first; the output is deterministic (gzip without a
timestamp), so a rerun with the same pandas leaves `git status` clean.
"""
import gzip
import hashlib
import io
import json
import os
import shutil
import warnings

import pandas as pd

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "packages", "table", "src", "fixtures", "pandas-csv")
SPECTRUM = os.path.join(ROOT, "node_modules", "csv-spectrum", "csvs")

NA_TOKENS = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
             "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null"]

cases = []  # (name, bytes)
large = []  # (name, bytes)


notes = {}  # name -> why pandas' output is arguably a pandas bug (written to the manifest)


def case(name, text, note=None):
    data = text.encode("utf-8") if isinstance(text, str) else text
    assert all(n != name for n, _ in cases + large), name
    cases.append((name, data))
    if note:
        notes[name] = note


def lines(*rows, end="\n"):
    return "".join(r + end for r in rows)


# --- int columns with gaps, floats --------------------------------------------------------------
case("int-plain", lines("a,b", "1,2", "3,4", "-5,6"))
case("int-gap-empty", lines("a,b", "1,x", ",y", "3,z"))
case("int-gap-na", lines("a,b", "1,x", "NA,y", "3,z"))
case("int-all-empty", lines("a,b", ",1", ",2"))
case("int-gap-last-row", lines("a,b", "1,2", "3,"))
case("float-plain", lines("x", "0.1", "1.5", "2", "-3.25"))
case("float-repr", lines("x", "0.1", "0.2", "0.30000000000000004", "1e16", "1e15", "123456789012345678",
                         "1.7976931348623157e308", "5e-324", "2.5e-5", "0.0001", "100000000000000000000.5",
                         "1e22", "1e21", "9007199254740993", "3.14159265358979323846"))
case("float-int-mix", lines("x,y", "1,1.0", "2,2.5", "3,3"))

# --- NA tokens ------------------------------------------------------------------------------------
for i, tok in enumerate(NA_TOKENS):
    slug = f"na-token-{i:02d}"
    case(slug + "-alone", lines("a,b", f"{tok},x", f"{tok},y"))
    case(slug + "-with-int", lines("a", "1", tok, "3"))
case("na-all-tokens-text", lines("a,b", *[f"{t},t{i}" for i, t in enumerate(NA_TOKENS)], "word,z"))
case("na-all-tokens-bool", lines("a", "True", *NA_TOKENS, "False"))
case("na-quoted", lines("a,b", '"NA",1', '"",2', '"nan",3', '"NULL",4', 'x,5'))
case("na-quoted-int", lines("a", "1", '"NA"', '""', "4"))
case("na-near-misses", lines("a,b", "None,1", "NAN,2", "Nan,3", "+nan,4", " NA,5", "na,6", "NA ,7",
                             "nULL,8", "N/a,9", "#n/a,10", "-NAN,11", "+NaN,12", "<na>,13"))
for i, tok in enumerate(["None", "NAN", "Nan", "+nan", " NA", "na", "-NAN", "+NaN"]):
    case(f"na-near-miss-{i}-with-float", lines("a", "1.5", tok, "2"))
case("na-then-text-dedup", lines("a,b", "x,NA", "x,", "x,null", "y,1"))

# --- big integers ---------------------------------------------------------------------------------
I64MAX, I64MIN, U64MAX = 2**63 - 1, -2**63, 2**64 - 1
case("bigint-19-digits", lines("a", "1000000000000000000", "1", "-1234567890123456789"))
case("bigint-int64-bounds", lines("a", str(I64MAX), str(I64MIN), "0"))
case("bigint-uint64", lines("a", str(2**63), str(U64MAX), "1"))
case("bigint-uint64-negative", lines("a", str(2**63), "-1"))
case("bigint-negative-uint64", lines("a", "-1", str(2**63)))
case("bigint-uint64-na", lines("a", str(2**63), "", "5"))
case("bigint-na-uint64", lines("a", "", str(2**63), "5"))
case("bigint-uint64-na-token", lines("a", str(2**63), "NA", "5"))
case("bigint-over-uint64", lines("a", str(2**64), "1"))
case("bigint-over-uint64-na", lines("a", str(2**64), "NA", "1"))
case("bigint-int64-min-minus-1", lines("a", str(I64MIN - 1), "1"))
case("bigint-uint64-float", lines("a", str(2**63), "1.5"))
case("bigint-float-uint64", lines("a", "1.5", str(2**63)))
case("bigint-uint64-text", lines("a", str(2**63), "x", "NA"))
case("bigint-text-uint64", lines("a", "x", str(2**63), "NA"))
case("bigint-over-text-na", lines("a", str(2**64), "x", "NA", ""))
case("bigint-uint64-negative-na", lines("a", str(2**63), "-1", "NA", ""))
case("bigint-uint64-bool", lines("a", str(2**63), "True"))
case("bigint-int64-text-na", lines("a", "1", "x", "NA"))
case("bigint-float-over", lines("a", "1.5", str(2**64)))
case("bigint-uint64-inf", lines("a", str(2**63), "inf"))

# --- number spellings -----------------------------------------------------------------------------
case("num-spaces-int", lines("a,b", " 12 ,x", "\t3\t,y", "  4,z"))
case("num-spaces-float", lines("a,b", " 1.5 ,x", "2.5\t,y"))
case("num-spaces-text", lines("a,b", " 12 ,x", "abc,y"))
case("num-plus-zero-pad", lines("a,b,c", "+1,007,-0", "2,0008,0"))
case("num-minus-zero-float", lines("a", "-0", "-0.0", "1.5"))
case("num-dot-forms", lines("a,b", ".5,5.", "-.5,-5.", "1,2"))
case("num-exponents", lines("a", "1e5", "1E+05", "1e-5", "2.5E3", "1e0"))
case("num-overflow-1e309", lines("a", "1", "1e309"))
case("num-overflow-neg-1e309", lines("a", "1.5", "-1e309"))
case("num-underflow", lines("a", "1e-400", "4.9e-324", "2.4e-324", "1"))
case("num-inf-spellings", lines("a", "inf", "-inf", "+inf", "Inf", "INF", "-Inf", "Infinity", "-Infinity",
                                "+Infinity", "infinity", "INFINITY", "iNf", "1"))
for i, tok in enumerate(["inf", "Infinity", "-INF", "+inFinity", "infinit", "infx", "nan1"]):
    case(f"num-inf-{i}-alone", lines("a", tok, "2"))
case("num-malformed", lines("a,b,c,d,e,f", "1e,e5,0x10,1_0,1..2,--1", "1,2,3,4,5,6"))
for i, tok in enumerate(["1e", "e5", "0x10", "1_0", "1.2.3", "1e5.5", "- 1", "1 2", "١٢"]):
    case(f"num-malformed-{i}", lines("a", "1", tok))
case("num-long-digits", lines("a", "0.1234567890123456", "0.12345678901234567", "0.123456789012345678",
                              "1.2345678901234567890", "12345678901234567.5", "9.999999999999999e22",
                              "2.2250738585072011e-308", "0.30000000000000001665", "8.98846567431158e307"))
case("num-17-digit-misread", lines("a", "0.0000000000000000000000000000000000000000000000000000000000001",
                                    "1.00000000000000011102230246251565404236316680908203125",
                                    "9007199254740992.5", "0.1000000000000000055511151231257827",
                                    "123.45678901234567", "1.7976931348623158e308"))
case("num-leading-zeros", lines("a,b", "0000000000000000000000000000001,000000000000000000000000.5",
                                "0000000000000000000000000000000000000000000012,0.0000000000000000000000000000000000001"))
case("num-leading-zeros-bigint", lines("a", "00000000000000000000009223372036854775808", "1"))
case("num-sign-dot-forms", lines("a,b,c,d,e", "-,+,.,1e+,+.5e-3", "1,2,3,4,1."))
case("num-float-with-int-text", lines("a", "1.0", "2", "x"))

# pandas' precise_xstrtod keeps 17 digits, leading zeros included, and multiplies by exact powers
# of ten: some values come out one unit off in the last place, some far off.
for i, tok in enumerate(["0.30000000000000004", "3.14159265358979323846", "9.999999999999999e22",
                         "0.12345678901234567", "0000000000000000001.5", "0.000000000000000000001",
                         "0.0000000000000001234567890123456789", "1.7976931348623158e308"]):
    case(f"float-precise-xstrtod-{i}", lines("a,b", f"{tok},x", "1.5,y"),
         "pandas' float parser misreads this number; float_precision='round_trip' reads it exactly")
# An integer part beyond uint64 overflows the int parser first: the column is kept as text,
# unless a token that is not an integer comes first.
case("float-big-int-part-first", lines("a", "123456789012345678901.5", "1.5"))
case("float-big-int-part-after-float", lines("a", "1.5", "123456789012345678901.5"))
case("int-24-digits-first", lines("a", "100000000000000000000000", "1.5"))
case("int-24-digits-after-float", lines("a", "1.5", "100000000000000000000000"))
case("int-spaces-and-na", lines("a,b", " 12 ,x", "NA,y", "3 ,z"))
case("na-padded-with-int", lines("a,b", "1,x", " NA ,y", "3,z"))
case("bigint-uint64-gap-2col", lines("a,b", f"{2**63},x", ",y", "5,z"))
case("bigint-gap-uint64-2col", lines("a,b", ",y", f"{2**63},x", "5,z"))
case("bigint-uint64-na-dedup", lines("a,b", f"{2**63},x", "NA,y", ",y", "NA,y", "5,z"))
case("bigint-int64-max-gap", lines("a,b", f"{I64MAX},x", ",y"))
case("bigint-negative-uint64-na", lines("a,b", "-1,x", f"{2**63},y", "NA,z", ",w"))

# --- bools ----------------------------------------------------------------------------------------
case("bool-cases", lines("a,b,c,d", "True,true,TRUE,tRuE", "False,false,FALSE,fAlSe"))
case("bool-na", lines("a,b", "True,x", ",y", "False,z"))
case("bool-na-token", lines("a", "true", "NA", "false", "null"))
case("bool-numbers", lines("a,b", "True,1", "0,False"))
case("bool-text", lines("a", "True", "yes"))
case("bool-all-na", lines("a", "NA", ""))
case("bool-quoted", lines("a", '"True"', "False"))
case("bool-spaces", lines("a", " True", "False "))
case("bool-float", lines("a", "True", "1.5"))
case("bool-dedup", lines("a,b", "True,1", "true,1", "TRUE,1"))

# --- headers --------------------------------------------------------------------------------------
case("header-dup-aaa", lines("a,a,a", "1,2,3"))
case("header-dup-a-a-a1", lines("a,a,a.1", "1,2,3"))
case("header-dup-a1-first", lines("a.1,a,a", "1,2,3"))
case("header-dup-chain", lines("a,a.1,a,a.2,a", "1,2,3,4,5"))
case("header-empty-names", lines(",b,,d,", "1,2,3,4,5"))
case("header-unnamed-collision", lines("Unnamed: 1,,x", "1,2,3"))
case("header-unnamed-dup", lines(",Unnamed: 0,", "1,2,3"))
case("header-quoted", lines('"a,b","line\nbreak","q""q"," sp "', "1,2,3,4"))
case("header-spaces", lines(" a , b ,c ", "1,2,3"))
case("header-numeric-names", lines("1,2.5,True,NA", "a,b,c,d"))
case("header-na-name-dup", lines("NA,NA,nan", "1,2,3"))
case("header-only", "a,b,c\n")
case("header-only-no-newline", "a,b,c")
case("header-only-dup", "a,a,\n")

# --- rows -----------------------------------------------------------------------------------------
case("row-short", lines("a,b,c", "1,2", "3", "4,5,6"))
case("row-short-first", lines("a,b,c", "1", "2,3,4", "5,6,7"))
case("row-long-first-by-1", lines("a,b", "i,1,2", "j,3,4"))
case("row-long-first-by-2", lines("a,b", "i,k,1,2", "j,l,3,4"))
case("row-long-first-then-short", lines("a,b", "i,1,2", "3,4", "5"))
case("row-long-later", lines("a,b", "1,2", "3,4,5"))
case("row-long-later-by-2", lines("a,b", "1,2", "3,4", "5,6,7,8"))
case("row-long-first-then-longer", lines("a,b", "i,1,2", "j,3,4,5"))
case("row-blank-lines", lines("a,b", "", "1,2", "", "", "3,4", ""))
case("row-spaces-line", lines("a,b", "1,2", "   ", "3,4"))
case("row-tabs-line", lines("a,b", "1,2", "\t\t", "3,4"))
case("row-spaces-then-text", lines("a,b", "1,2", "   x", "3,4"))
case("row-spaces-single-col", lines("a", "1", "  ", "2"))
case("row-comma-line", lines("a,b", "1,2", ",", "3,4"))
case("row-comma-line-single", lines("a", "1", ",", "2"))
case("row-all-empty-dedup", lines("a,b", ",", ",", "1,"))
case("row-leading-blank-lines", lines("", "", "a,b", "1,2"))
case("row-leading-spaces-line", lines("  ", "a,b", "1,2"))
case("row-dedup-types", lines("a,b", "1,x", "1.0,x", "01,x", "1,x"))
case("row-dedup-floats", lines("a", "0.1", "0.10", "1e-1", "-0", "0", "nan", ""))

case("row-trailing-comma-all", lines("a,b,", "1,2,", "3,4,"))
case("row-trailing-comma-data-only", lines("a,b", "1,2,", "3,4,"))
case("row-trailing-comma-first-only", lines("a,b", "1,2,", "3,4"))
case("row-bom-then-blank-line", "\ufeff\na,b\n1,2\n")
case("row-quoted-empty-single-col", lines("a", '""', "1"))
case("row-quoted-spaces-single-col", lines("a", '"  "', "1"))
case("row-space-comma-line", lines("a,b", "1,2", " ,"))
case("row-nbsp-field", lines("a,b", "1,\u00a0", "2,x"))

# --- quoting --------------------------------------------------------------------------------------
case("quote-bare-coordinates", lines("name,lat", "here,37°36'37.8\"N", "there,1"))
case("quote-bare-word", lines("a,b", 'a "quoted" word,1', "x,2"))
case("quote-text-after-close", lines("a,b", '"ab"cd,1', "x,2"))
case("quote-a-b-c", lines("a,b", '"a"b"c",1', "x,2"))
case("quote-doubled", lines("a,b", '"say ""hi""",1', '"""",2', '"""""",3'))
case("quote-newlines", lines("a,b", '"line1\nline2",1', '"cr\rinside",2', '"crlf\r\ninside",3'))
case("quote-comma", lines("a,b", '"x,y",1', '",",2'))
case("quote-unclosed", lines("a,b", '"abc,1', "x,2"))
case("quote-unclosed-last", 'a,b\n1,"abc')
case("quote-space-before", lines("a,b", ' "x",1', 'y ,2'))
case("quote-empty-vs-missing", lines("a,b", '"",1', ",2", '"x",3'))
case("quote-numbers", lines("a,b", '"1",2', '"3","4.5"'))
case("quote-padded-number", lines("a", '" 12 "', "3"))
case("quote-thousands", lines("a", '"1,000"', "2"))
case("quote-bare-at-end", lines("a,b", 'abc",1', 'x,2'))
case("quote-needs-quoting-out", lines("a", "x y", "'single'", "semi;colon", "tab\there"))

# --- line endings ---------------------------------------------------------------------------------
case("eol-crlf", lines("a,b", "1,2", "3,4", end="\r\n"))
case("eol-cr", lines("a,b", "1,2", "3,4", end="\r"))
case("eol-mixed", "a,b\n1,2\r\n3,4\r5,6\n")
case("eol-no-final", "a,b\n1,2\n3,4")
case("eol-cr-empty-first-field", lines("a,b", ",1", ",2", "3,", end="\r"))
case("eol-cr-blank-lines", "a,b\r\r1,2\r\r3,4\r")
case("eol-crlf-blank-lines", "a,b\r\n\r\n1,2\r\n\r\n")
case("eol-cr-comma-line", "a,b\r,\r1,2\r")
case("eol-lf-cr-comma", "a,b\n1,2\r,3\n")
case("eol-cr-single-col-empty", "a\r\r1\r\r")
case("eol-cr-quoted", 'a,b\r"x\ry",1\r"z",2\r')

# CR-only files: pandas' tokenizer mishandles a line that starts with a space or a tab right after
# the header, and a line that starts with the delimiter right after a blank line.
case("eol-cr-space-after-header", b"a,b\r ,1\r2,3\r", "pandas tokenizer bug with CR-only line endings: a line starting with a space right after the header repeats the header as a data row")
case("eol-cr-tab-after-header", b"a,b\r\t,1\r", "pandas tokenizer bug with CR-only line endings: a line starting with a tab right after the header repeats the header as a data row")
case("eol-cr-space-later", b"a,b\r1,2\r ,3\r")
case("eol-cr-blank-then-delimiter", b"a,b\r\r,1\r2,3\r", "pandas tokenizer bug with CR-only line endings: after a blank line, a line's leading delimiter is dropped")
case("eol-cr-blank-then-comma-line", b"a,b\r1,2\r\r,\r3,4\r", "pandas tokenizer bug with CR-only line endings: after a blank line, a line that is only a delimiter vanishes")
case("eol-cr-two-blanks-then-delimiter", b"a,b,c\r1,2,3\r\r\r,,4\r", "pandas tokenizer bug with CR-only line endings: after blank lines, one leading delimiter is dropped")
case("eol-cr-single-col-comma", b"a\r,\r1\r", "pandas tokenizer bug with CR-only line endings: the line ',' in a 1-column file is no error, and it and the row '1' after it come out as two null rows")
case("eol-crlf-blank-then-delimiter", b"a,b\r\n1,2\r\n\r\n,3\r\n")
case("eol-lf-blank-then-delimiter", b"a,b\n1,2\n\n,3\n")

# --- encodings, odd bytes -------------------------------------------------------------------------
case("bom", "\ufeffa,b\n1,2\n")
case("bom-quoted-header", '\ufeff"a",b\n1,2\n')
case("empty-file", b"")
case("blank-lines-only", "\n\n\n")
case("spaces-only", "   \n  \n")
case("single-col-nulls", lines("a", "1", "", "x", "NA"))
case("single-col-all-null", lines("a", "", "NA", "nan"))
case("single-col-text-nulls", lines("name", "alice", "", "bob"))
case("nul-byte", b"a,b\nx\x00y,1\nz,2\n", "pandas' C parser ends a field at a NUL byte: x\\0y is read as x")
case("non-ascii", lines("name,city", "Zoë,Zürich", "Łukasz,Kraków", "李,北京", "emoji 😀,𝔘𝔫𝔦"))
case("invalid-utf8", b"a,b\n\xff\xfe,1\n")
case("lone-cr-field", lines("a,b", '"x\ry",1', '"\r",2'))
case("lone-lf-field", lines("a,b", '"x\ny",1'))
case("many-columns", lines(",".join(f"c{i}" for i in range(300)),
                           ",".join(str(i) for i in range(300)),
                           ",".join("" if i % 7 == 0 else f"{i}.5" for i in range(300))))
case("whitespace-text", lines("a,b", "  x  ,1", "\ty\t,2"))
case("hash-and-comment-like", lines("a,b", "#x,1", "# y,2"))

# --- large: low_memory chunking -------------------------------------------------------------------
# The C parser reads buffer_lines rows at a time (the largest power of two below
# 2**20 // table_width), infers each chunk's dtype alone, then np.concatenate's the chunks.


def chunk_rows(width):
    heuristic = 2**20 // width
    n = 1
    while n * 2 < heuristic:
        n *= 2
    return n


def table(width, rows, cell):
    """A width-column table whose first column is cell(row); the others are short fillers."""
    out = io.StringIO()
    out.write(",".join(f"c{j}" for j in range(width)) + "\n")
    for r in range(rows):
        out.write(",".join([cell(r)] + [str((r + j) % 10) for j in range(1, width)]) + "\n")
    return out.getvalue()


W = 256  # buffer_lines 2048: small files, several chunks
B = chunk_rows(W)


def big(name, text):
    data = text.encode()
    assert all(n != name for n, _ in cases + large), name
    large.append((name, data))


big("large-zero-padded-then-text", table(W, B + 10, lambda r: "007" if r < B else "x7"))
big("large-na-in-second-chunk", table(W, B + 10, lambda r: "" if r == B + 3 else str(r)))
big("large-bool-then-int", table(W, B + 10, lambda r: "True" if r < B else "1"))
big("large-bool-then-float", table(W, B + 10, lambda r: "False" if r < B else "2.5"))
big("large-uint64-then-negative", table(W, B + 10, lambda r: str(2**63 + r) if r < B else "-1"))
big("large-int-then-float", table(W, B + 10, lambda r: str(r) if r < B else "0.5"))
big("large-bool-na-then-bool", table(W, B + 10, lambda r: ("" if r == 5 else "True") if r < B else "False"))
big("large-boundary-last-row-of-chunk", table(W, B + 10, lambda r: "x" if r == B - 1 else "1"))
big("large-boundary-first-row-of-chunk2", table(W, B + 10, lambda r: "x" if r == B else "1"))
big("large-text-then-na-token", table(W, B + 10, lambda r: "word" if r < B else "NA"))
big("large-int64-then-uint64", table(W, B + 10, lambda r: str(r) if r < B else str(2**63 + r)))
big("large-int-then-all-na", table(W, B + 10, lambda r: str(r) if r < B else "NA"))
big("large-float-then-text", table(W, B + 10, lambda r: ["0.1", "1e5", "1e16", "-0"][r % 4] if r < B else "x"))
big("large-int-na-then-text", table(W, B + 10, lambda r: ("" if r == 3 else str(r)) if r < B else "x"))
big("large-spaces-int-then-text", table(W, B + 10, lambda r: " 12 " if r < B else " x "))
big("large-all-na-then-bool", table(W, B + 10, lambda r: "NA" if r < B else "True"))
big("large-all-na-then-text", table(W, B + 10, lambda r: "" if r < B else "x"))
big("large-text-then-zero-padded", table(W, B + 10, lambda r: "x" if r < B else "007"))
big("large-int-then-bool", table(W, B + 10, lambda r: "5" if r < B else "False"))
# np.concatenate of int64, float64 and object chunks at once: the ints stay ints.
big("large-int-float-text-chunks", table(W, 2 * B + 10,
                                         lambda r: "007" if r < B else ("1.5" if r < 2 * B else "x")))
big("large-uint64-na-text", table(W, 2 * B + 10,
                                  lambda r: str(2**63) if r < B else ("" if r < 2 * B else "x")))



def constant_table(width, rows, cell):
    """As table(), with constant fillers: rows repeat, so drop_duplicates has work."""
    return "".join([",".join(f"c{j}" for j in range(width)) + "\n"] + [",".join([cell(r)] + ["a"] * (width - 1)) + "\n" for r in range(rows)])


# drop_duplicates compares values: across chunks, -0.0 equals 0.0, 1.0 equals 1 and True equals 1,
# while an object chunk's strings ("1") equal no number.
big("large-dedup-float-then-text", constant_table(W, 2 * B, lambda r: ["1", "2.0", "-0.0", "0"][r % 4] if r < B else ["1", "1.0", "x", "0", "True"][r % 5]))
big("large-dedup-int-bool-text", constant_table(W, 3 * B, lambda r: ["1", "0"][r % 2] if r < B else (["True", "False"][r % 2] if r < 2 * B else ["1", "True", "y"][r % 3])))


def short_first_row(width, rows, cell):
    """The first data row has 1 field, so table_width is 1, not width (bigger chunks)."""
    text = table(width, rows, cell).split("\n")
    text[1] = cell(0)
    return "\n".join(text)


# table_width from a short first row is 1: buffer_lines 524288, not 2048 -> one chunk.
big("large-short-first-row", short_first_row(W, B + 10, lambda r: "007" if r < B else "x7"))


def long_first_row(width, rows, cell):
    """Every data row has one field more than the header: an implicit index, table_width + 1."""
    text = table(width, rows, cell).split("\n")
    return "\n".join(text[:1] + [f"i{r}," + line for r, line in enumerate(text[1:-1])] + [""])


W2 = 255  # the header alone gives buffer_lines 4096; 256 fields in the first row give 2048
B2 = chunk_rows(W2 + 1)
big("large-long-first-row", long_first_row(W2, B2 + 10, lambda r: "007" if r < B2 else "x7"))
# Blank lines are skipped before chunking: the chunk still holds B data rows.
big("large-blank-lines-counted", "".join(
    ("\n" if r % 2 else "") + line + "\n"
    for r, line in enumerate(table(W, B + 10, lambda r: "007" if r < B - 100 else "x7").splitlines())))


# --- run pandas -----------------------------------------------------------------------------------
def run_pandas(path):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            df = pd.read_csv(path)
    except Exception as e:  # noqa: BLE001 - the oracle records whatever pandas raises
        return {"error": f"{type(e).__name__}: {e}"}
    result = {"output": df.to_csv(index=False), "dtypes": [str(t) for t in df.dtypes],
              "columns": [str(c) for c in df.columns], "rows": len(df),
              "drop_duplicates": df.drop_duplicates().to_csv(index=False)}
    # The same read with exactly rounded floats (Python's own parser): where it differs, the case
    # shows pandas' float misreads, the divergence the README may allow.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exact = pd.read_csv(path, float_precision="round_trip")
    if exact.to_csv(index=False) != result["output"] or list(exact.dtypes) != list(df.dtypes):
        result["round_trip"] = {"output": exact.to_csv(index=False), "dtypes": [str(t) for t in exact.dtypes],
                                "drop_duplicates": exact.drop_duplicates().to_csv(index=False)}
    return result


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=1, ensure_ascii=True)
        f.write("\n")


def digest(text):
    data = text.encode("utf-8")
    return hashlib.sha256(data).hexdigest(), len(data)


shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
manifest = []
for name, data in cases:
    path = os.path.join(OUT, name + ".csv")
    with open(path, "wb") as f:
        f.write(data)
    write_json(os.path.join(OUT, name + ".expected.json"), run_pandas(path))
    entry = {"name": name, "input": name + ".csv", "expected": name + ".expected.json"}
    manifest.append({**entry, "note": notes[name]} if name in notes else entry)

for name in sorted(os.listdir(SPECTRUM)):
    path = os.path.join(SPECTRUM, name)
    with open(path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    stem = "spectrum-" + name[:-len(".csv")]
    write_json(os.path.join(OUT, stem + ".expected.json"), {"input_sha256": sha, **run_pandas(path)})
    manifest.append({"name": stem, "input": "csv-spectrum/csvs/" + name, "package": "csv-spectrum",
                     "expected": stem + ".expected.json"})

for name, data in large:
    path = os.path.join(OUT, name + ".csv.gz")
    with open(path, "wb") as f:
        f.write(gzip.compress(data, mtime=0))
    result = run_pandas(path)
    if "output" in result:
        result["output_sha256"], result["output_bytes"] = digest(result.pop("output"))
        result["drop_duplicates_sha256"], result["drop_duplicates_bytes"] = digest(result.pop("drop_duplicates"))
    result["input_sha256"] = hashlib.sha256(data).hexdigest()
    write_json(os.path.join(OUT, name + ".expected.json"), result)
    manifest.append({"name": name, "input": name + ".csv.gz", "gzip": True, "expected": name + ".expected.json"})

write_json(os.path.join(OUT, "manifest.json"), {"pandas": pd.__version__, "read_csv": "pandas.read_csv(path)",
                                                "write": "DataFrame.to_csv(index=False)", "cases": manifest})
print(f"{len(manifest)} cases ({len(large)} large), pandas {pd.__version__} -> {OUT}")
