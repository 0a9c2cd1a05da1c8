#!/usr/bin/env python3
"""Regenerates services/cases/data/birthplaces.tsv, the birthplace codes a codice fiscale may carry.

Source: the data files of the Python package `python-codicefiscale` (module `codicefiscale`,
MIT licence), which packages the ANPR list of Italian municipalities with their codici
catastali, former municipalities included, and the `Z` codes of foreign states (current and
former). The ISO 3166-1 alpha-2 code of each foreign state is matched by name with `pycountry`
(the ISO 3166 tables of Debian's iso-codes); states that no longer exist get none.

Usage (the versions used are recorded in docs/reference-data.md):

    python3 -m venv /tmp/cfvenv
    /tmp/cfvenv/bin/pip install python-codicefiscale==0.12.1 pycountry==26.2.16
    /tmp/cfvenv/bin/python scripts/birthplaces.py > services/cases/data/birthplaces.tsv

Output: `#` comment lines, then one line per period of validity of a code, tab-separated:
`code  valid_from  valid_to  iso`. Dates are ISO (`YYYY-MM-DD`, inclusive), empty when open.
Lines keep the package's order (municipalities, then former states, then states), which is the
order its decoder tries them in.
"""

import importlib.metadata
import json
import re
import sys
from pathlib import Path

import codicefiscale
import pycountry

DATA = Path(codicefiscale.__file__).parent / "data"

# English names of the list that the ISO tables spell differently (name in the list → ISO
# 3166-1 alpha-2); checked by hand against ISO 3166-1.
ISO_BY_NAME = {
    "Turkey": "TR",
    "Cape Verde": "CV",
    "Libyan Arab Jamahiriya": "LY",
    "South Sudan, Republic Of": "SS",
    "East Timor": "TL",
    "Macedonia (Fyrom)": "MK",
    "Kosovo": "XK",  # user-assigned code, as used by the European Union
    "Isole Faer Oer": "FO",
    "Vatican City State": "VA",
    "Palestinian Territory, Occupied": "PS",
    "Sant'Elena": "SH",
    "Saint Pierre E Miquelon": "PM",
    "Isole Turks E Caicos": "TC",
    "Isole Vergini Americane": "VI",
    "Isole Vergini Britanniche": "VG",
    "Martinica": "MQ",
    "Isole Cayman": "KY",
    "Isole Cook": "CK",
    "Polinesia Francese": "PF",
    "Isole Wallis E Futuna": "WF",
}


def day(value: str) -> str:
    return value[:10] if value else ""


def iso_of(entry: dict) -> str:
    if entry.get("date_deleted"):
        return ""  # a state that no longer exists
    english = entry.get("name_alt_en") or entry.get("name")
    if english in ISO_BY_NAME:
        return ISO_BY_NAME[english]
    for name in (entry.get("name_alt_en"), entry.get("name_alt"), entry.get("name")):
        if not name:
            continue
        try:
            return pycountry.countries.lookup(name).alpha_2
        except LookupError:
            pass
    return ""


def main() -> None:
    load = lambda name: json.loads((DATA / name).read_text(encoding="utf-8"))
    municipalities = load("municipalities.json")
    states = load("deleted-countries.json") + load("countries.json")
    out = sys.stdout
    version = importlib.metadata.version("python-codicefiscale")
    iso_version = importlib.metadata.version("pycountry")
    out.write(f"# birthplace codes of the codice fiscale: python-codicefiscale {version} (ANPR data)\n")
    out.write(f"# ISO 3166-1 alpha-2 of foreign states matched by name with pycountry {iso_version}\n")
    out.write("# regenerate with scripts/birthplaces.py; columns: code valid_from valid_to iso\n")
    pattern = re.compile(r"^[A-Z][0-9]{3}$")
    for entry in municipalities:
        if pattern.match(entry["code"]):
            out.write(f"{entry['code']}\t{day(entry['date_created'])}\t{day(entry['date_deleted'])}\t\n")
    for entry in states:
        if pattern.match(entry["code"]):
            iso = iso_of(entry)
            out.write(f"{entry['code']}\t{day(entry['date_created'])}\t{day(entry['date_deleted'])}\t{iso}\n")


if __name__ == "__main__":
    main()
