"""The reference data shipped in ``organizations/data/``: police regions, län, kommuner.

Loaded by migration 0002; the functions take the model classes so the migration
can pass its historical models. Idempotent: a second run changes nothing.
"""

import csv
from pathlib import Path

from django.utils.text import slugify

DATA = Path(__file__).resolve().parent / "data"
LONG_FORMS = str.maketrans({"å": "aa", "ä": "ae", "ö": "oe"})


def municipality_slugs(names: list[str]) -> list[str]:
    """URL slugs for kommun names, unique across Sweden.

    Håbo and Habo both fold to "habo"; the name with the diacritic gets its
    long form instead ("haabo"), so both keep a readable address.
    """
    plain = [slugify(name) for name in names]
    return [
        slugify(name.lower().translate(LONG_FORMS))
        if plain.count(slug) > 1 and slug != name.lower()
        else slug
        for name, slug in zip(names, plain, strict=True)
    ]


def load_reference_data(PoliceRegion, County, Organisation) -> None:
    with open(DATA / "polisregioner.csv", encoding="utf-8") as fh:
        county_rows = list(csv.DictReader(fh))
    regions = {}
    for row in county_rows:
        name = row["polisregion"]
        if name not in regions:
            regions[name], _ = PoliceRegion.objects.update_or_create(
                slug=slugify(name), defaults={"name": name}
            )
    counties = {}
    for row in county_rows:
        counties[row["lanskod"]], _ = County.objects.update_or_create(
            code=row["lanskod"],
            defaults={"name": row["lan"], "police_region": regions[row["polisregion"]]},
        )

    with open(DATA / "kommuner.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    slugs = municipality_slugs([row["kommun"] for row in rows])
    for row, slug in zip(rows, slugs, strict=True):
        Organisation.objects.update_or_create(
            municipality_code=row["kommunkod"],
            defaults={
                "kind": "kommun",
                "name": row["kommun"],
                "slug": slug,
                "county": counties[row["lanskod"]],
            },
        )


def ensure_reference_data() -> None:
    """Load the reference data with the current models (tests, after a flush)."""
    from organizations.models import County, Organisation, PoliceRegion

    if Organisation.objects.municipalities().count() != 290:
        load_reference_data(PoliceRegion, County, Organisation)
