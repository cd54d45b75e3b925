from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from organizations.models import County, Organisation, PoliceAreaCoverage, PoliceRegion
from organizations.reference import (
    load_police_areas,
    load_reference_data,
    municipality_slugs,
    police_area_rows,
    read_rows,
)

pytestmark = pytest.mark.django_db

LPO_COUNT = 93
# Kommuner that several lokalpolisområden share, each for its own stadsdelar.
SPLIT_MUNICIPALITIES = {
    "0180": {  # Stockholm
        "lpo-norrmalm",
        "lpo-sodermalm",
        "lpo-jarva",
        "lpo-vallingby",
        "lpo-skarholmen",
        "lpo-globen",
        "lpo-farsta",
    },
    "1480": {  # Göteborg
        "lpo-storgoteborg-city",
        "lpo-storgoteborg-nordost",
        "lpo-storgoteborg-syd",
        "lpo-hisingen",
    },
    "1280": {"lpo-malmo-norr", "lpo-malmo-soder"},  # Malmö
}


def loaded_police_areas():
    """Lokalpolisområden that cover at least one kommun."""
    return Organisation.objects.police_areas().filter(coverage__isnull=False).distinct()


def test_all_290_municipalities_21_counties_and_7_regions_are_loaded():
    assert Organisation.objects.municipalities().count() == 290
    assert County.objects.count() == 21
    assert PoliceRegion.objects.count() == 7


def test_every_county_belongs_to_its_police_region():
    assert County.objects.get(code="08").police_region.name == "Syd"
    assert County.objects.get(code="04").police_region.name == "Öst"
    assert County.objects.get(code="09").police_region.name == "Stockholm"
    # Brå 2015: Västernorrland and Jämtland are in Nord, Västmanland in Mitt.
    assert County.objects.get(code="22").police_region.name == "Nord"
    assert County.objects.get(code="23").police_region.name == "Nord"
    assert County.objects.get(code="19").police_region.name == "Mitt"
    assert County.objects.get(code="20").police_region.name == "Bergslagen"
    assert set(PoliceRegion.objects.values_list("name", flat=True)) == {
        "Stockholm",
        "Mitt",
        "Nord",
        "Öst",
        "Syd",
        "Väst",
        "Bergslagen",
    }


def test_municipalities_carry_code_county_and_readable_slug():
    katrineholm = Organisation.objects.get(municipality_code="0483")
    assert katrineholm.name == "Katrineholm"
    assert katrineholm.slug == "katrineholm"
    assert katrineholm.county.name == "Södermanlands län"
    assert Organisation.objects.get(municipality_code="0114").slug == "upplands-vasby"


def test_slugs_are_unique_even_when_names_fold_together():
    assert municipality_slugs(["Habo", "Håbo"]) == ["habo", "haabo"]
    assert Organisation.objects.values("slug").distinct().count() == Organisation.objects.count()


@pytest.mark.parametrize(
    ("code", "official"),
    [
        ("0428", "Vingåkers kommun"),
        ("1480", "Göteborgs Stad"),
        ("0980", "Region Gotland"),
        ("2080", "Falu kommun"),
        ("1415", "Stenungsunds kommun"),
        ("1419", "Tjörns kommun"),
        ("0483", "Katrineholms kommun"),
        ("0880", "Kalmar kommun"),
        ("1490", "Borås Stad"),
        ("0180", "Stockholms stad"),
        ("1280", "Malmö stad"),
        ("0186", "Lidingö stad"),
        ("1267", "Höörs kommun"),
        ("1266", "Hörby kommun"),
        ("2460", "Vännäs kommun"),
        ("1260", "Bjuvs kommun"),
        ("1277", "Åstorps kommun"),
        ("1421", "Orust kommun"),
        ("1440", "Ale kommun"),
        ("2514", "Kalix kommun"),
        ("2023", "Malung-Sälens kommun"),
    ],
)
def test_municipalities_carry_the_name_they_call_themselves(code, official):
    municipality = Organisation.objects.get(municipality_code=code)
    assert municipality.full_name == official
    assert municipality.display_name == official


def test_every_municipality_has_an_official_name_and_fourteen_are_stad():
    names = list(Organisation.objects.municipalities().values_list("full_name", flat=True))
    assert all(names)
    assert sum(name.lower().endswith(" stad") for name in names) == 14


def test_data_files_skip_their_cited_header():
    with open("organizations/data/lokalpolisomraden.csv", encoding="utf-8") as fh:
        assert fh.readline().startswith("#")
    assert {row["lanskod"] for row in read_rows("polisregioner.csv")} == {
        county.code for county in County.objects.all()
    }
    assert all(row["kalla"].startswith("http") for row in read_rows("lokalpolisomraden.csv"))


def test_police_areas_are_loaded_with_region_district_and_readable_slug():
    assert Organisation.objects.police_areas().filter(
        coverage__isnull=False
    ).distinct().count() == (LPO_COUNT)
    katrineholm = Organisation.objects.get(slug="lpo-katrineholm")
    assert katrineholm.is_police
    assert katrineholm.display_name == "Lokalpolisområde Katrineholm"
    assert katrineholm.police_region.slug == "ost"
    kalmar = Organisation.objects.get(slug="lpo-kalmar")
    assert kalmar.police_region.slug == "syd"
    assert kalmar.police_district == "Kalmar Kronoberg"


def covered_codes(slug):
    return set(
        Organisation.objects.get(slug=slug).covered_municipalities.values_list(
            "municipality_code", flat=True
        )
    )


def test_police_areas_cover_the_municipalities_their_sources_name():
    # Flen, Katrineholm, Vingåker; Kalmar, Borgholm, Mörbylånga
    assert covered_codes("lpo-katrineholm") == {"0482", "0483", "0428"}
    assert covered_codes("lpo-kalmar") == {"0880", "0885", "0840"}
    vingaker = Organisation.objects.get(municipality_code="0428")
    assert list(vingaker.covering_police_areas.values_list("slug", flat=True)) == [
        "lpo-katrineholm"
    ]


@pytest.mark.parametrize(
    ("slug", "codes"),
    [
        # Danderyd, Täby, Vallentuna, Vaxholm, Österåker (polisen.se, Danderyd)
        ("lpo-sodra-roslagen", {"0162", "0160", "0115", "0187", "0117"}),
        # Umeå, Bjurholm, Nordmaling, Robertsfors, Vindeln, Vännäs (umea.se 2023)
        ("lpo-umea", {"2480", "2403", "2401", "2409", "2404", "2460"}),
        # Falun, Avesta, Hedemora and Borlänge, Ludvika, Säter, Smedjebacken, Gagnef
        # (polisen.se 2020; one area Falun-Borlänge in 2016)
        ("lpo-falun", {"2080", "2084", "2083"}),
        ("lpo-borlange", {"2081", "2085", "2082", "2061", "2026"}),
        # Kungsör, Hallstahammar, Köping, Arboga (polisen.se 2023)
        ("lpo-vastra-malardalen", {"1960", "1961", "1983", "1984"}),
        # Hässleholm, Östra Göinge and, since 2018, Osby (from Ljungby)
        ("lpo-hassleholm", {"1293", "1256", "1273"}),
        ("lpo-storgoteborg-syd", {"1480", "1481", "1401"}),  # Göteborg (part), Mölndal, Härryda
        ("lpo-vallingby", {"0180", "0125"}),  # Stockholm (part), Ekerö
    ],
)
def test_added_police_areas_cover_the_municipalities_their_sources_name(slug, codes):
    assert covered_codes(slug) == codes


def test_police_areas_carry_the_police_district_their_sources_name():
    districts = dict(Organisation.objects.police_areas().values_list("slug", "police_district"))
    assert districts["lpo-storgoteborg-nordost"] == "Storgöteborg"
    assert districts["lpo-norrmalm"] == "Stockholm city"
    assert districts["lpo-sodra-roslagen"] == "Stockholm nord"
    assert districts["lpo-malmo-soder"] == "Malmö"
    assert districts["lpo-nacka"] == ""  # no source names it


def test_every_police_area_covers_at_least_one_municipality_and_each_only_kommuner():
    for police_area in Organisation.objects.police_areas().filter(
        slug__in=[row["slug"] for row in police_area_rows()]
    ):
        covered = police_area.covered_municipalities.all()
        assert covered.exists(), police_area
        assert {org.kind for org in covered} == {Organisation.Kind.MUNICIPALITY}


def test_only_stockholm_goteborg_and_malmo_are_split_between_police_areas():
    areas_by_code = {}
    for row in police_area_rows():
        for code in row["kommunkoder"]:
            areas_by_code.setdefault(code, set()).add(row["slug"])
    split = {code: slugs for code, slugs in areas_by_code.items() if len(slugs) > 1}
    assert split == SPLIT_MUNICIPALITIES
    for code, slugs in SPLIT_MUNICIPALITIES.items():
        municipality = Organisation.objects.get(municipality_code=code)
        assert set(municipality.covering_police_areas.values_list("slug", flat=True)) == slugs
    assert PoliceAreaCoverage.objects.values("municipality").distinct().count() == len(
        areas_by_code
    )
    assert PoliceAreaCoverage.objects.count() == sum(len(slugs) for slugs in areas_by_code.values())


def test_a_row_lists_each_municipality_once():
    for row in police_area_rows():
        assert len(row["kommunkoder"]) == len(set(row["kommunkoder"])), row["slug"]


def test_police_areas_lie_in_the_region_of_the_municipalities_they_cover():
    for coverage in PoliceAreaCoverage.objects.select_related(
        "police_area", "municipality__county"
    ):
        assert (
            coverage.police_area.police_region_id == coverage.municipality.county.police_region_id
        )


def test_loading_twice_changes_nothing():
    def snapshot():
        return (
            list(Organisation.objects.order_by("pk").values_list("pk", "slug", "full_name")),
            list(
                PoliceAreaCoverage.objects.order_by("pk").values_list(
                    "police_area_id", "municipality_id", "source_url"
                )
            ),
            list(County.objects.order_by("pk").values_list("pk", "police_region_id")),
        )

    before = snapshot()
    load_reference_data(PoliceRegion, County, Organisation)
    load_police_areas(PoliceRegion, Organisation, PoliceAreaCoverage)
    assert snapshot() == before


def test_reload_keeps_coverage_an_administrator_added():
    lpo = Organisation.objects.get(slug="lpo-katrineholm")
    nykoping = Organisation.objects.get(municipality_code="0480")
    PoliceAreaCoverage.objects.create(police_area=lpo, municipality=nykoping)
    load_police_areas(PoliceRegion, Organisation, PoliceAreaCoverage)
    assert lpo.covered_municipalities.filter(pk=nykoping.pk).exists()


def test_data_migration_brings_an_existing_database_up_to_date():
    """A database migrated before 0005, with the old demo's LPO rows, is updated in place."""
    Organisation.objects.municipalities().update(full_name="")
    County.objects.filter(code__in=["19", "22", "23"]).update(
        police_region=PoliceRegion.objects.get(slug="bergslagen")
    )
    PoliceAreaCoverage.objects.all().delete()
    Organisation.objects.police_areas().filter(slug__in=["lpo-kalmar", "lpo-katrineholm"]).update(
        name="LPO Kalmar", full_name="", police_district=""
    )
    Organisation.objects.police_areas().exclude(slug__in=["lpo-kalmar", "lpo-katrineholm"]).filter(
        slug__in=[row["slug"] for row in police_area_rows()]
    ).delete()
    demo_lpo_pk = Organisation.objects.get(slug="lpo-kalmar").pk

    migration = import_module("organizations.migrations.0005_police_areas_and_official_names")
    state = MigrationExecutor(connection).loader.project_state(
        ("organizations", "0005_police_areas_and_official_names")
    )
    migration.load(state.apps, connection.schema_editor())

    assert Organisation.objects.get(municipality_code="0428").display_name == "Vingåkers kommun"
    assert County.objects.get(code="22").police_region.slug == "nord"
    lpo_kalmar = Organisation.objects.get(slug="lpo-kalmar")
    assert lpo_kalmar.pk == demo_lpo_pk
    assert lpo_kalmar.display_name == "Lokalpolisområde Kalmar"
    assert lpo_kalmar.covered_municipalities.count() == 3
    assert Organisation.objects.police_areas().filter(
        coverage__isnull=False
    ).distinct().count() == (LPO_COUNT)


def test_more_police_areas_migration_adds_the_areas_to_a_database_at_0005():
    """A database that has only 0005's twelve lokalpolisområden gets the rest from 0007."""
    first_twelve = {
        "lpo-kalmar",
        "lpo-nybro",
        "lpo-vastervik",
        "lpo-vaxjo",
        "lpo-ljungby",
        "lpo-ystad",
        "lpo-trelleborg",
        "lpo-kavlinge",
        "lpo-eslov",
        "lpo-klippan",
        "lpo-karlskrona",
        "lpo-katrineholm",
    }
    Organisation.objects.police_areas().filter(
        slug__in=[row["slug"] for row in police_area_rows()]
    ).exclude(slug__in=first_twelve).delete()
    assert loaded_police_areas().count() == 12
    kalmar_pk = Organisation.objects.get(slug="lpo-kalmar").pk

    migration = import_module("organizations.migrations.0007_more_police_areas")
    state = MigrationExecutor(connection).loader.project_state(
        ("organizations", "0007_more_police_areas")
    )
    migration.load(state.apps, connection.schema_editor())

    assert loaded_police_areas().count() == LPO_COUNT
    assert Organisation.objects.get(slug="lpo-kalmar").pk == kalmar_pk
    stockholm = Organisation.objects.get(municipality_code="0180")
    assert stockholm.covering_police_areas.count() == len(SPLIT_MUNICIPALITIES["0180"])
    assert Organisation.objects.get(slug="lpo-gotland").police_region.slug == "stockholm"


def test_south_lapland_covers_its_six_kommuner_with_a_source():
    coverage = PoliceAreaCoverage.objects.filter(police_area__slug="lpo-sodra-lappland")
    assert set(coverage.values_list("municipality__name", flat=True)) == {
        "Lycksele",
        "Storuman",
        "Sorsele",
        "Dorotea",
        "Vilhelmina",
        "Åsele",
    }
    assert all(c.source_url.startswith("http://sorsele.se/") for c in coverage)
    assert Organisation.objects.get(slug="lpo-sodra-lappland").police_region.name == "Nord"


def test_the_shared_themes_are_the_importers_vocabulary():
    """A new installation has the themes the importer recognises (migration 0009)."""
    from importer.vocab import THEMES
    from organizations.models import Theme

    shared = dict(Theme.objects.filter(partnership__isnull=True).values_list("slug", "name"))
    assert set(THEMES) <= set(shared)
    assert shared["alkohol-och-tobak"] == "Alkohol och tobak"
