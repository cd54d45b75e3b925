"""The demo lägesbilder from the seed documents (Kalmar 2018, Katrineholm 2019)."""

import re

import pytest
from django.contrib.auth import get_user_model

from demo import accounts as accounts_demo
from demo import situation_reports as demo
from demo.data import kalmar_2019_2020, katrineholm_2020
from situation.frozen import freeze as public_data
from situation.models import Finding, IndicatorValue, SituationReport, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports():
    accounts_demo.load()
    assert demo.load()
    assert not demo.load()  # twice: idempotent, the second writes nothing
    return {
        "kalmar": SituationReport.objects.get(title=kalmar_2019_2020.REPORT["title"]),
        "katrineholm": SituationReport.objects.get(title=katrineholm_2020.REPORT["title"]),
    }


def test_demo_is_idempotent(reports):
    assert SituationReport.objects.count() == 2
    assert Source.objects.filter(report=reports["kalmar"]).count() == 6
    assert Finding.objects.filter(report=reports["kalmar"]).count() == 9
    assert reports["kalmar"].indicators.count() == 6


def test_kalmar_figures(reports):
    report = reports["kalmar"]
    assert report.report_date.isoformat() == "2018-12-11"
    assert report.period_label == "2018"
    kinds = set(report.sources.values_list("kind", flat=True))
    assert kinds == {
        "trygghetsmatning",
        "medborgardialog",
        "medarbetardialog",
        "trygghetsvandring",
        "can",
        "brottsstatistik",
    }
    districts = report.findings.get(text__contains="Norrliden").areas
    assert sorted(districts.values_list("name", "kind")) == [
        ("Berga", "stadsdel"),
        ("Funkabo", "stadsdel"),
        ("Norrliden", "stadsdel"),
        ("Oxhagen", "stadsdel"),
        ("Smedby", "stadsdel"),
    ]

    def values(population):
        return {
            (v.breakdown, v.group): int(v.value)
            for v in IndicatorValue.objects.filter(
                indicator__report=report,
                indicator__population=population,
                indicator__name="Har någon gång använt narkotika",
            )
        }

    assert values("elever i årskurs 9") == {
        ("alla", ""): 5,
        ("kon", "pojkar"): 6,
        ("kon", "flickor"): 4,
    }
    assert values("elever i gymnasiets år 2") == {
        ("alla", ""): 18,
        ("kon", "pojkar"): 20,
        ("kon", "flickor"): 15,
    }
    # No 2015 number is invented: the trend is a finding, not a value.
    assert not IndicatorValue.objects.filter(indicator__report=report, period="2015").exists()
    assert report.findings.filter(text__contains="sedan mätningen 2015").exists()


def test_katrineholm_problem_areas(reports):
    report = reports["katrineholm"]
    assert report.method.startswith("EST")
    assert report.period_label == "2019"
    themes = set(report.findings.values_list("theme__slug", flat=True))
    assert themes == {"narkotika", "trygghet-i-centrum", "ungdomsbrottslighet"}
    centre = report.findings.get(theme__slug="trygghet-i-centrum")
    assert [a.name for a in centre.areas.all()] == ["centrala Katrineholm"]
    assert {"medborgardialog", "trygghetsmatning", "est"} <= set(
        report.sources.values_list("kind", flat=True)
    )


def test_kalmar_member_sees_the_report(reports, client):
    client.force_login(get_user_model().objects.get(username="kalmar-lasare"))
    response = client.get(reports["kalmar"].get_absolute_url())
    assert response.status_code == 200
    html = response.text
    for text in [
        "Polisens trygghetsundersökning",
        "CAN:s undersökning om drogvanor",
        "Medarbetardialoger inom lokalpolisområde Kalmar och Kalmar kommun",
        "Oxhagen, Smedby, Berga, Funkabo och Norrliden",
        "5 %",
        "6 %",
        "4 %",
        "18 %",
        "20 %",
        "15 %",
    ]:
        assert text in html, text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="situation-chart" role="img"' in html
    titles = re.findall(r'<title id="[^"]+">([^<]+)</title>', html)
    assert "Har någon gång använt narkotika, elever i årskurs 9, 2017, per grupp" in titles
    # Katrineholm's people cannot see Kalmar's report.
    client.force_login(get_user_model().objects.get(username="katrineholm-lasare"))
    assert client.get(reports["kalmar"].get_absolute_url()).status_code == 404


def test_demo_public_data_is_complete(reports):
    data = public_data(reports["kalmar"])
    assert len(data["sources"]) == 6
    assert len(data["findings"]) == 9
    assert len(data["indicators"]) == 6
