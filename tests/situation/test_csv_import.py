"""CSV import: a good file is previewed then saved; a bad file is rejected whole."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from situation.csv_import import parse_indicator_csv
from situation.models import IndicatorValue
from tests.situation.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators(kalmar_report):
    year9 = IndicatorFactory(report=kalmar_report, name="Använt narkotika åk 9")
    upper = IndicatorFactory(report=kalmar_report, name="Använt narkotika gy 2")
    return year9, upper


def _upload(client, report, content: str, encoding="utf-8"):
    file = SimpleUploadedFile("varden.csv", content.encode(encoding), content_type="text/csv")
    return client.post(reverse("situation:indicator-import", args=[report.pk]), {"file": file})


def _token(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.text).group(1)


def test_good_file_is_previewed_then_saved(client, kalmar_coordinator, kalmar_report, indicators):
    year9, upper = indicators
    client.force_login(kalmar_coordinator)
    content = (
        "indikator;period;fördelning;grupp;värde\n"
        f"{year9.pk};2017;alla;;5\n"
        f"{year9.pk};2017;kön;pojkar;6\n"
        f"{year9.pk};2017;kön;flickor;4\n"
        "Använt narkotika gy 2;2017;alla;;18\n"
        "Använt narkotika gy 2;2017;Kön;pojkar;20,0\n"
        "Använt narkotika gy 2;2017;kon;flickor;15 %\n"
    )
    before = IndicatorValue.objects.count()
    preview = _upload(client, kalmar_report, content)
    assert preview.status_code == 200
    assert "6 värden kommer att sparas" in preview.text
    assert IndicatorValue.objects.count() == before  # nothing saved by the preview

    response = client.post(
        reverse("situation:indicator-import-confirm", args=[kalmar_report.pk]),
        {"token": _token(preview)},
    )
    assert response.status_code == 302
    saved = {
        (v.breakdown, v.group): v.value for v in IndicatorValue.objects.filter(indicator=upper)
    }
    assert saved == {("alla", ""): 18, ("kon", "pojkar"): 20, ("kon", "flickor"): 15}
    assert year9.values.count() == 3


def test_comma_separated_windows_file_with_decimal_comma(
    kalmar_coordinator, kalmar_report, indicators
):
    year9, _ = indicators
    content = f'Indikator,Period,Fordelning,Grupp,Varde\n{year9.pk},2019 T1,ålder,16–29 år,"12,5"\n'
    result = parse_indicator_csv(report=kalmar_report, data=content.encode("cp1252"))
    assert result.ok, result.errors
    row = result.rows[0]
    assert (row.period, row.breakdown, row.group, row.value) == (
        "2019 T1",
        "alder",
        "16–29 år",
        Decimal("12.5"),
    )


def test_bad_file_is_rejected_whole_with_line_numbers(
    client, kalmar_coordinator, kalmar_report, indicators
):
    year9, _ = indicators
    client.force_login(kalmar_coordinator)
    content = (
        "indikator;period;fördelning;grupp;värde\n"
        f"{year9.pk};2017;alla;;5\n"  # line 2: fine
        f"{year9.pk};2017;kön;;6\n"  # line 3: group missing
        "Finns inte;2017;alla;;4\n"  # line 4: unknown indicator
        f"{year9.pk};2018;alla;;fem\n"  # line 5: not a number
        f"{year9.pk};2017;alla;;7\n"  # line 6: duplicate of line 2
        f"{year9.pk};2017;planet;mars;1\n"  # line 7: unknown breakdown
    )
    before = IndicatorValue.objects.count()
    response = _upload(client, kalmar_report, content)
    assert response.status_code == 400
    text = response.text
    assert "Ingenting har sparats" in text
    assert "Rad 2" not in text
    assert "Rad 3: grupp saknas." in text
    assert "Rad 4: indikatorn ”Finns inte” finns inte i lägesbilden." in text
    assert "Rad 5: värdet ”fem” är inget tal." in text
    assert "Rad 6: samma indikator, period och grupp som på rad 2." in text
    assert "Rad 7: okänd fördelning ”planet”" in text
    assert 'name="token"' not in text
    assert IndicatorValue.objects.count() == before


def test_missing_columns_are_reported(kalmar_report, indicators):
    result = parse_indicator_csv(report=kalmar_report, data=b"indikator;period\n1;2017\n")
    assert not result.ok
    assert result.errors[0].startswith("Rad 1: kolumnerna")


def test_tampered_token_saves_nothing(client, kalmar_coordinator, kalmar_report, indicators):
    year9, _ = indicators
    client.force_login(kalmar_coordinator)
    preview = _upload(
        client, kalmar_report, f"indikator;period;fördelning;grupp;värde\n{year9.pk};2017;alla;;5\n"
    )
    token = _token(preview)
    before = IndicatorValue.objects.count()
    response = client.post(
        reverse("situation:indicator-import-confirm", args=[kalmar_report.pk]),
        {"token": token[:-3] + "abc"},
    )
    assert response.status_code == 400
    assert "Ladda upp filen igen" in response.text
    assert IndicatorValue.objects.count() == before


def test_token_for_one_report_cannot_be_used_on_another(
    client, kalmar_coordinator, kalmar_partnership, kalmar_report, indicators
):
    from tests.situation.factories import SituationReportFactory

    year9, _ = indicators
    other = SituationReportFactory(partnership=kalmar_partnership)
    client.force_login(kalmar_coordinator)
    preview = _upload(
        client, kalmar_report, f"indikator;period;fördelning;grupp;värde\n{year9.pk};2017;alla;;5\n"
    )
    response = client.post(
        reverse("situation:indicator-import-confirm", args=[other.pk]), {"token": _token(preview)}
    )
    assert response.status_code == 400
    assert not IndicatorValue.objects.filter(indicator=year9).exists()
