import pytest

from organizations.models import County, Organisation, PoliceRegion
from organizations.reference import municipality_slugs

pytestmark = pytest.mark.django_db


def test_all_290_municipalities_21_counties_and_7_regions_are_loaded():
    assert Organisation.objects.municipalities().count() == 290
    assert County.objects.count() == 21
    assert PoliceRegion.objects.count() == 7


def test_every_county_belongs_to_its_police_region():
    assert County.objects.get(code="08").police_region.name == "Syd"
    assert County.objects.get(code="04").police_region.name == "Öst"
    assert County.objects.get(code="09").police_region.name == "Stockholm"
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
