"""The Swedish vocabularies the extractor matches against: numbers, months, parties, themes."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip
MONTH_RE = "|".join(MONTHS)

UNITS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
    "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15,
    "sexton": 16, "sjutton": 17, "arton": 18, "nitton": 19,
}  # fmt: skip
TENS = {"tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50, "sextio": 60, "sjuttio": 70,
        "åttio": 80, "nittio": 90}  # fmt: skip
_NUMBER_WORDS = (
    list(UNITS)
    + list(TENS)
    + [ten + unit for ten in TENS for unit in UNITS if UNITS[unit] < 10 and unit != "ett"]
    + ["hundra", "etthundra", "tvåhundra"]
)
NUMBER_WORD_RE = "(?:" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
NUMBER_RE = rf"(?:\d{{1,4}}|{NUMBER_WORD_RE})"


def parse_number(token: str) -> int | None:
    """``"15"`` → 15, ``"tjugofem"`` → 25, ``"etthundra"`` → 100; else None."""
    token = token.lower().strip()
    if token.isdigit():
        return int(token)
    total = 0
    rest = token
    hundred = re.match(r"(ett|en|två)?hundra", rest)
    if hundred:
        total, rest = (200 if hundred.group(1) == "två" else 100), rest[hundred.end() :]
    for word, value in sorted(TENS.items(), key=lambda kv: -len(kv[0])):
        if rest.startswith(word):
            total, rest = total + value, rest[len(word) :]
            break
    if rest:
        if rest not in UNITS:
            return None
        total += UNITS[rest]
    return total or None


PERIOD_WORDS = {
    "år": "år", "året": "år", "årligen": "år", "termin": "termin", "terminen": "termin",
    "vecka": "vecka", "veckan": "vecka", "månad": "månad", "månaden": "månad",
    "kvartal": "kvartal", "kvartalet": "kvartal", "tertial": "tertial", "tertialet": "tertial",
    "halvår": "halvår", "halvåret": "halvår", "dag": "dag", "dagen": "dag", "helg": "helg",
}  # fmt: skip

POLICE_WORDS = (
    r"polisen|polis|polismyndigheten|lokalpolisen|kommunpolisen|områdespolisen|"
    r"närpolisen|lokalpolisområdet|polisens"
)
MUNICIPALITY_WORDS = r"kommunen|kommunerna|kommun|kommunens|kommunernas|staden"

# The shared theme vocabulary, with the word stems that point at each theme. Themes
# a partnership adds (Theme rows) are matched by the words of their names.
THEMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "narkotika": ("Narkotika", ("narkotik", "drog", "andt", "cannabis", "hundsök", "knark")),
    "alkohol-och-tobak": ("Alkohol och tobak", ("alkohol", "langning", "tobak", "servering")),
    "trafik": (
        "Trafik",
        ("trafik", "hastighet", "buskörning", "moped", "a-traktor", "epa", "cyklist", "rattfyll"),
    ),
    "ungdomsbrottslighet": (
        "Ungdomsbrottslighet",
        (
            "ungdomsbrott",
            "kriminell",
            "kriminalitet",
            "riskzon",
            "förstagångsförbrytare",
            "orosamtal",
            "sig)",
            "sociala insatsgrupp",
        ),
    ),  # fmt: skip
    "trygghet-i-centrum": ("Trygghet i centrum", ("centrum", "stadskärna", "krog", "city")),
    "trygghet-i-stadsdelar": ("Trygghet i stadsdelar", ("stadsdel",)),
    "upplevd-trygghet": (
        "Upplevd trygghet",
        ("trygghetsvandring", "otrygg", "upplevd trygghet", "upplevda tryggheten", "belysning"),
    ),
    "bostadsinbrott": ("Bostadsinbrott", ("inbrott", "grannsamverkan")),
    "bedragerier": ("Bedrägerier", ("bedrägeri",)),
    "vald-i-nara-relationer": ("Våld i nära relationer", ("våld i nära relation",)),
    "vald-i-offentlig-miljo": ("Våld i offentlig miljö", ("våldsbrott", "våld i offentlig")),
    "skadegorelse": ("Skadegörelse", ("skadegörelse", "klotter")),
    "manniskohandel": ("Prostitution och människohandel", ("prostitution", "människohandel")),
}


@cache
def municipality_names() -> tuple[str, ...]:
    """The 290 kommun names from the reference data the project ships."""
    path = Path(__file__).resolve().parent.parent / "organizations" / "data" / "kommuner.csv"
    with open(path, encoding="utf-8-sig") as fh:
        # The file may open with a ``#`` comment header.
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return tuple(row["kommun"] for row in rows)


def genitive(name: str) -> str:
    return name if name[-1].lower() in "sxz" else name + "s"
