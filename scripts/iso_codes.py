#!/usr/bin/env python3
"""Regenerates the ISO country and language lists the kernel checks input against.

Source: the ISO 3166-1, ISO 3166-3 and ISO 639-3 tables of Debian's iso-codes, as packaged by
the Python package `pycountry` (LGPL-2.1; files `databases/iso3166-1.json`,
`databases/iso3166-3.json`, `databases/iso639-3.json`). ISO 639-3 entries carry their ISO 639-1
code and their ISO 639-2/B code where those differ, so every ISO 639-1, 639-2/T, 639-2/B and
639-3 code of a language is covered by one table. Two small lists are kept by hand below, each
with its source: the codes ISO 3166/MA keeps exceptionally reserved, and the successors of the
withdrawn codes that ISO 3166-3 does not name with a single code (`HH`, `XX`).

Usage (the versions used are recorded in docs/reference-data.md):

    python3 -m venv /tmp/cfvenv
    /tmp/cfvenv/bin/pip install pycountry==26.2.16
    /tmp/cfvenv/bin/python scripts/iso_codes.py countries > services/kernel/data/countries.tsv
    /tmp/cfvenv/bin/python scripts/iso_codes.py languages > services/kernel/data/languages.tsv

Output: `#` comment lines (source and version), then tab-separated lines.

- countries: `alpha_2  alpha_3  status  name  successors`, sorted by status then code.
  `status` is `assigned` (officially assigned in ISO 3166-1), `user-assigned` (the one
  user-assigned code accepted, `XK` Kosovo), `reserved` (exceptionally reserved: not a country
  of its own; `successors` names the code to use when there is one) or `withdrawn` (ISO
  3166-3; `alpha_2` is empty when ISO has assigned it again to another country; `successors`
  are the assigned codes of today, comma-separated). `name` is the English name (the common
  name where iso-codes gives one, e.g. `Iran` for `Iran, Islamic Republic of`).
- languages: `code  alpha_3  bibliographic  scope  type  name`: `code` is the one code stored
  (ISO 639-1 when the language has one, else ISO 639-3), `alpha_3` the ISO 639-3 (= 639-2/T)
  code, `bibliographic` the ISO 639-2/B code where it differs, `scope` (`I` individual, `M`
  macrolanguage) and `type` (`L` living, `E` extinct, `H` historical, `C` constructed,
  `A` ancient) as in ISO 639-3, `name` the English reference name. The four special codes
  (`mis`, `mul`, `und`, `zxx`) are left out: they name no language.
"""

import importlib.metadata
import sys

import pycountry

# Exceptionally reserved ISO 3166-1 alpha-2 codes (ISO 3166/MA, Online Browsing Platform,
# "exceptionally reserved code elements"), with the assigned code that covers the territory.
# FX and SU, reserved too, are listed with ISO 3166-3 below.
RESERVED = {
    "AC": ("Ascension Island", "SH"),
    "CP": ("Clipperton Island", "FR"),
    "CQ": ("Island of Sark", "GG"),
    "DG": ("Diego Garcia", "IO"),
    "EA": ("Ceuta, Melilla", "ES"),
    "EU": ("European Union", ""),
    "EZ": ("Eurozone", ""),
    "IC": ("Canary Islands", "ES"),
    "TA": ("Tristan da Cunha", "SH"),
    "UK": ("United Kingdom", "GB"),
    "UN": ("United Nations", ""),
}

# Successors of withdrawn codes whose ISO 3166-3 alpha-4 code ends in HH (no single successor),
# XX, AA (the code kept, the name changed) or a code withdrawn in turn (YUCS: CS, withdrawn in
# 2006); taken from the comments of ISO 3166-3 and the code elements that replaced them.
SUCCESSORS = {
    "ANHH": "BQ,CW,SX",
    "BYAA": "BY",
    "CSHH": "CZ,SK",
    "CSXX": "ME,RS",
    "FQHH": "AQ,TF",
    "GEHH": "KI,TV",
    "NTHH": "IQ,SA",
    "PCHH": "FM,MH,MP,PW",
    "SUHH": "AM,AZ,BY,EE,GE,KG,KZ,LT,LV,MD,RU,TJ,TM,UA,UZ",
    "YUCS": "ME,RS",
}

# User-assigned codes accepted as countries: Kosovo, which ISO 3166-1 does not list, under the
# code the European Commission uses (and `birthplaces.tsv` gives the codice fiscale's Z160).
USER_ASSIGNED = [("XK", "XKX", "Kosovo")]


def clean(text: str) -> str:
    if "\t" in text or "\n" in text:
        raise SystemExit(f"unexpected white space in {text!r}")
    return text


def countries() -> None:
    assigned = {c.alpha_2: c for c in pycountry.countries}
    rows = []
    for code, c in sorted(assigned.items()):
        name = getattr(c, "common_name", None) or c.name
        rows.append((code, c.alpha_3, "assigned", name, ""))
    for alpha_2, alpha_3, name in USER_ASSIGNED:
        assert alpha_2 not in assigned
        rows.append((alpha_2, alpha_3, "user-assigned", name, ""))
    for code, (name, successor) in sorted(RESERVED.items()):
        assert code not in assigned and (not successor or successor in assigned)
        rows.append((code, "", "reserved", name, successor))
    for h in sorted(pycountry.historic_countries, key=lambda h: (h.alpha_2, h.alpha_4)):
        successors = SUCCESSORS.get(h.alpha_4, h.alpha_4[2:])
        for s in successors.split(","):
            assert s in assigned, (h.alpha_4, s)
        alpha_2 = "" if h.alpha_2 in assigned else h.alpha_2
        rows.append((alpha_2, h.alpha_3, "withdrawn", h.name, successors))
    print(f"# ISO 3166-1 countries and ISO 3166-3 withdrawn codes: pycountry {version()}")
    print("# alpha_2\talpha_3\tstatus\tname\tsuccessors")
    for row in rows:
        print("\t".join(clean(v) for v in row))


def languages() -> None:
    rows = []
    for lang in pycountry.languages:
        if lang.scope == "S":
            continue
        alpha_2 = getattr(lang, "alpha_2", "")
        bibliographic = getattr(lang, "bibliographic", "")
        rows.append(
            (alpha_2 or lang.alpha_3, lang.alpha_3, bibliographic, lang.scope, lang.type, lang.name)
        )
    print(f"# ISO 639 languages (ISO 639-3 with 639-1 and 639-2/B): pycountry {version()}")
    print("# code\talpha_3\tbibliographic\tscope\ttype\tname")
    for row in sorted(rows, key=lambda r: r[1]):
        print("\t".join(clean(v) for v in row))


def version() -> str:
    return importlib.metadata.version("pycountry")


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) == 2 else ""
    if which == "countries":
        countries()
    elif which == "languages":
        languages()
    else:
        raise SystemExit("usage: iso_codes.py countries|languages")
