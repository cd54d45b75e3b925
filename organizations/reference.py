"""The reference data shipped in ``organizations/data/``.

Police regions, län, the 290 kommuner with their official names, and the
lokalpolisområden with the kommuner they cover. Each data file starts with a
comment header (lines starting with ``#``) that cites its sources; see
``organizations/data/README.md``.

Loaded by migrations 0002 and 0005; the functions take the model classes so a
migration can pass its historical models. Idempotent: a second run changes
nothing, and a later migration that runs them again brings an existing
database up to date with the files.
"""

import csv
from pathlib import Path

from django.utils.text import slugify

DATA = Path(__file__).resolve().parent / "data"
LONG_FORMS = str.maketrans({"å": "aa", "ä": "ae", "ö": "oe"})


def read_rows(filename: str) -> list[dict[str, str]]:
    """The rows of a data file, skipping its ``#`` comment header."""
    with open(DATA / filename, encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


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
    """Police regions, län and kommuner (with their official names)."""
    county_rows = read_rows("polisregioner.csv")
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

    rows = read_rows("kommuner.csv")
    slugs = municipality_slugs([row["kommun"] for row in rows])
    for row, slug in zip(rows, slugs, strict=True):
        Organisation.objects.update_or_create(
            municipality_code=row["kommunkod"],
            defaults={
                "kind": "kommun",
                "name": row["kommun"],
                "full_name": row["officiellt_namn"],
                "slug": slug,
                "county": counties[row["lanskod"]],
            },
        )


def police_area_rows() -> list[dict]:
    """The lokalpolisområden in the data file, with their kommunkoder split out."""
    return [
        {**row, "kommunkoder": row["kommunkoder"].split(), "kalla": row["kalla"].split()}
        for row in read_rows("lokalpolisomraden.csv")
    ]


def load_police_areas(PoliceRegion, Organisation, PoliceAreaCoverage) -> None:
    """Lokalpolisområden and the kommuner each covers, keyed by slug.

    The slug is the stable key: the demo's "lpo-kalmar" and "lpo-katrineholm"
    rows of earlier databases are adopted, not duplicated. Coverage loaded from
    the file carries its source; a row that the file no longer lists is removed,
    but coverage an administrator added (no source) is kept.
    """
    regions = {region.name: region for region in PoliceRegion.objects.all()}
    municipalities = {
        org.municipality_code: org for org in Organisation.objects.filter(kind="kommun")
    }
    for row in police_area_rows():
        name = row["lokalpolisomrade"]
        police_area, _ = Organisation.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "kind": "lokalpolisomrade",
                "name": f"LPO {name}",
                "full_name": f"Lokalpolisområde {name}",
                "police_region": regions[row["polisregion"]],
                "police_district": row["polisomrade"],
            },
        )
        listed = [municipalities[code] for code in row["kommunkoder"]]
        for municipality in listed:
            PoliceAreaCoverage.objects.update_or_create(
                police_area=police_area,
                municipality=municipality,
                defaults={"source_url": row["kalla"][0]},
            )
        PoliceAreaCoverage.objects.filter(police_area=police_area).exclude(source_url="").exclude(
            municipality__in=listed
        ).delete()


def ensure_reference_data() -> None:
    """Load the reference data with the current models (tests, after a flush)."""
    from organizations.models import County, Organisation, PoliceAreaCoverage, PoliceRegion

    slugs = [row["slug"] for row in police_area_rows()]
    if (
        Organisation.objects.municipalities().count() != 290
        or Organisation.objects.police_areas().filter(slug__in=slugs).count() != len(slugs)
    ):
        load_reference_data(PoliceRegion, County, Organisation)
        load_police_areas(PoliceRegion, Organisation, PoliceAreaCoverage)
