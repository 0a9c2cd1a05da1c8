#!/usr/bin/env python3
"""Regenerates services/cases/tests/data/codici_fiscali.tsv: codici fiscali labelled by the
reference implementation, the Python package `python-codicefiscale` (module `codicefiscale`).

`tests/codice_fiscale.rs` (cases crate) checks that the product agrees with every line: the
same codes valid, and for valid ones the same sex, birth date, birthplace code and plain
(non-omocodic) form. The set mixes codes the package encodes from random people (born in Italy,
in former municipalities and abroad), their omocodic variants, 29 February of leap and non-leap
years, impossible dates (31 April, 30 and 31 February…), unknown birthplace codes (`Y123`,
`Z999`…) and wrong check characters, the last three forged with the right check character
unless the point is the check character itself.

Usage (versions in docs/reference-data.md):

    python3 -m venv /tmp/cfvenv
    /tmp/cfvenv/bin/pip install python-codicefiscale==0.12.1
    /tmp/cfvenv/bin/python scripts/codice_fiscale_fixture.py > services/cases/tests/data/codici_fiscali.tsv

The package decides the century of the two-digit year from the day it runs (the most recent
past year, else a century earlier): the day is written in the header and the test decodes
with it. Output: `#` comment lines, then `code  valid  sex  birth_date  birthplace  plain`
(tab-separated; the last four empty for invalid codes).
"""

import datetime as dt
import importlib.metadata
import json
import random
from pathlib import Path

import codicefiscale
from codicefiscale import codicefiscale as cf

TODAY = dt.date.today()
MONTHS = "ABCDEHLMPRST"
OMOCODIA = "LMNPQRSTUV"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

rng = random.Random(20261206)
data = Path(codicefiscale.__file__).parent / "data"
places = [
    p
    for name in ("municipalities.json", "deleted-countries.json", "countries.json")
    for p in json.loads((data / name).read_text(encoding="utf-8"))
    if len(p["code"]) == 4
]
known = {p["code"] for p in places}


def day_of(value):
    return dt.date.fromisoformat(value[:10]) if value else None


def random_name():
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 9)))


def random_birth():
    start = dt.date(1927, 1, 1)
    span = (TODAY - dt.timedelta(days=7) - start).days
    return start + dt.timedelta(days=rng.randrange(span))


def place_for(birth, abroad):
    while True:
        p = rng.choice(places)
        if (p["province"] == "EE") != abroad:
            continue
        created, deleted = day_of(p["date_created"]), day_of(p["date_deleted"])
        if (created is None or created <= birth) and (deleted is None or birth <= deleted):
            return p["code"]


def forge(prefix14_to_place, place):
    """Completes the first 11 characters and a birthplace with the right check character."""
    body = prefix14_to_place + place
    return body + cf.encode_cin(body)


def prefix(year, month, day, female):
    letters = "".join(rng.choice(LETTERS) for _ in range(6))
    return f"{letters}{year % 100:02d}{MONTHS[month - 1]}{day + (40 if female else 0):02d}"


def omocodic(code):
    variants = cf.decode(code)["omocodes"][1:]
    return rng.choice(variants)


def future(code):
    """True when the package would read the code as born after today (avoided: the product
    reads such a year a century earlier)."""
    yy = int(code[6:8].translate(str.maketrans(OMOCODIA, "0123456789")))
    return yy == TODAY.year % 100


def main():
    codes = []
    valid = []
    while len(valid) < 2600:
        birth = random_birth()
        abroad = rng.random() < 0.45
        try:
            code = cf.encode(random_name(), random_name(), rng.choice("MF"), dt.datetime(birth.year, birth.month, birth.day), place_for(birth, abroad))
        except ValueError:
            continue
        valid.append(code)
    codes += valid
    codes += [omocodic(c) for c in rng.sample(valid, 1300)]
    # 29 February, leap years and not.
    for _ in range(400):
        year = rng.randrange(1928, TODAY.year)
        code = forge(prefix(year, 2, 29, rng.random() < 0.5), place_for(dt.date(year, 2, 28), rng.random() < 0.5))
        codes.append(code)
    # Impossible dates.
    for _ in range(500):
        year = rng.randrange(1928, TODAY.year)
        month, day = rng.choice([(4, 31), (6, 31), (9, 31), (11, 31), (2, 30), (2, 31)])
        codes.append(forge(prefix(year, month, day, rng.random() < 0.5), place_for(dt.date(year, month, 1), rng.random() < 0.5)))
    # Unknown birthplaces.
    fixed = ["Y123", "Z999", "Z000", "Z899", "O001", "W500", "X777", "K000", "R123", "Z113"]
    unknown = [p for p in fixed if p not in known]
    while len(unknown) < 60:
        p = rng.choice(LETTERS) + f"{rng.randrange(1000):03d}"
        if p not in known and p not in unknown:
            unknown.append(p)
    for i in range(500):
        year = rng.randrange(1928, TODAY.year)
        place = unknown[i % len(unknown)]
        codes.append(forge(prefix(year, rng.randrange(1, 13), rng.randrange(1, 29), rng.random() < 0.5), place))
    # Omocodic variants of impossible codes stay impossible.
    for code in rng.sample(codes[-1000:], 200):
        pos = rng.choice([6, 7, 9, 10, 12, 13, 14])
        if code[pos].isdigit():
            body = code[:pos] + OMOCODIA[int(code[pos])] + code[pos + 1 : 15]
            codes.append(body + cf.encode_cin(body))
    # Wrong check characters.
    for code in rng.sample(valid, 300):
        wrong = rng.choice([c for c in LETTERS if c != code[15]])
        codes.append(code[:15] + wrong)

    version = importlib.metadata.version("python-codicefiscale")
    print(f"# codici fiscali labelled by python-codicefiscale {version}, scripts/codice_fiscale_fixture.py")
    print(f"# generated {TODAY.isoformat()}")
    print("# code\tvalid\tsex\tbirth_date\tbirthplace\tplain")
    seen = set()
    for code in codes:
        if code in seen or future(code):
            continue
        seen.add(code)
        try:
            d = cf.decode(code)
        except ValueError:
            print(f"{code}\t0\t\t\t\t")
            continue
        place = d["raw"]["birthplace"][0] + d["raw"]["birthplace"][1:].translate(str.maketrans(OMOCODIA, "0123456789"))
        print(f"{code}\t1\t{d['gender']}\t{d['birthdate'].date().isoformat()}\t{place}\t{d['omocodes'][0]}")


if __name__ == "__main__":
    main()
