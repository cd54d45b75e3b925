"""Workspace journeys: create, edit with optimistic locking, add rows with and without htmx."""

import pytest
from django.urls import reverse

from situation.models import Finding, IndicatorValue, SituationReport, Source
from situation.selectors import promise_links

pytestmark = pytest.mark.django_db


def test_coordinator_creates_a_report(client, kalmar_coordinator, kalmar_partnership):
    client.force_login(kalmar_coordinator)
    form = client.get(reverse("situation:report-create"))
    assert form.status_code == 200
    response = client.post(
        reverse("situation:report-create"),
        {
            "partnership": kalmar_partnership.pk,
            "title": "Lägesbild 2021",
            "period_start_date": "2021-01-01",
            "period_end_date": "2021-12-31",
            "summary": "Sammanfattning",
            "method": "EST",
        },
    )
    report = SituationReport.objects.get(title="Lägesbild 2021")
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    assert report.period_label == "2021"


def test_period_must_be_ordered(client, kalmar_coordinator, kalmar_partnership):
    client.force_login(kalmar_coordinator)
    response = client.post(
        reverse("situation:report-create"),
        {
            "partnership": kalmar_partnership.pk,
            "title": "Bakvänd",
            "period_start_date": "2021-12-31",
            "period_end_date": "2021-01-01",
        },
    )
    assert response.status_code == 200
    assert "Perioden kan inte sluta innan den börjar." in response.text
    assert not SituationReport.objects.filter(title="Bakvänd").exists()


def _edit(client, report, version, title):
    return client.post(
        reverse("situation:report-update", args=[report.pk]),
        {"title": title, "summary": report.summary, "lock_version": version},
    )


def test_concurrent_edit_is_refused_not_overwritten(
    client, kalmar_coordinator, kalmar_police_coordinator, kalmar_report
):
    version = kalmar_report.lock_version
    client.force_login(kalmar_police_coordinator)
    assert _edit(client, kalmar_report, version, "Polisens rubrik").status_code == 302
    client.force_login(kalmar_coordinator)
    response = _edit(client, kalmar_report, version, "Kommunens rubrik")
    assert response.status_code == 200
    assert "Någon annan har sparat ändringar" in response.text
    assert "Kommunens rubrik" in response.text  # what they typed is kept
    assert "Polisens rubrik" in response.text  # and the saved version is shown
    kalmar_report.refresh_from_db()
    assert kalmar_report.title == "Polisens rubrik"
    assert kalmar_report.lock_version == version + 1
    # Saving again is a deliberate choice, with the new version number.
    assert _edit(client, kalmar_report, version + 1, "Kommunens rubrik").status_code == 302
    kalmar_report.refresh_from_db()
    assert kalmar_report.title == "Kommunens rubrik"


def test_add_source_without_javascript_redirects(client, kalmar_coordinator, kalmar_report):
    client.force_login(kalmar_coordinator)
    response = client.post(
        reverse("situation:source-create", args=[kalmar_report.pk]),
        {
            "kalla-kind": "medborgardialog",
            "kalla-year": "2018",
            "kalla-title": "Medborgardialoger",
            "kalla-visibility": "offentlig",
        },
    )
    source = Source.objects.get(title="Medborgardialoger")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#kalla-{source.pk}")
    assert source.get_absolute_url() == f"{kalmar_report.get_absolute_url()}#kalla-{source.pk}"


def test_add_source_with_htmx_returns_the_section(client, kalmar_coordinator, kalmar_report):
    client.force_login(kalmar_coordinator)
    response = client.post(
        reverse("situation:source-create", args=[kalmar_report.pk]),
        {
            "kalla-kind": "brottsstatistik",
            "kalla-title": "Lokal brottsstatistik",
            "kalla-visibility": "offentlig",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<section id="kallor"')
    assert "<html" not in html
    assert "Lokal brottsstatistik" in html and 'role="status"' in html


def test_invalid_rows_show_errors_and_save_nothing(client, kalmar_coordinator, kalmar_report):
    client.force_login(kalmar_coordinator)
    data = {"kalla-kind": "underrattelser", "kalla-title": "Läcka", "kalla-visibility": "offentlig"}
    url = reverse("situation:source-create", args=[kalmar_report.pk])
    plain = client.post(url, data)
    htmx = client.post(url, data, headers={"HX-Request": "true"})
    for response in (plain, htmx):
        assert response.status_code == 200
        assert "Underrättelser kan aldrig vara offentliga" in response.text
    assert not Source.objects.filter(title="Läcka").exists()


def test_add_finding_with_areas_and_groups(client, kalmar_coordinator, kalmar_report, kalmar):
    from organizations.models import Area, Theme

    oxhagen = Area.objects.create(municipality=kalmar, name="Oxhagen", kind="stadsdel")
    theme = Theme.objects.create(name="Trygghet i stadsdelar", slug="trygghet-i-stadsdelar-t")
    client.force_login(kalmar_coordinator)
    response = client.post(
        reverse("situation:finding-create", args=[kalmar_report.pk]),
        {
            "fynd-theme": theme.pk,
            "fynd-areas": [oxhagen.pk],
            "fynd-text": "Upplevelsen av trygghet är lägre i Oxhagen.",
            "fynd-groups": ["kvinnor", "unga"],
            "fynd-priority": 1,
            "fynd-visibility": "offentlig",
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get(text__startswith="Upplevelsen")
    assert list(finding.areas.all()) == [oxhagen]
    assert finding.group_labels() == ["Kvinnor", "Unga"]
    page = client.get(kalmar_report.get_absolute_url())
    assert "Oxhagen" in page.text and "Kvinnor, Unga" in page.text


def test_finding_cannot_use_another_kommuns_area(
    client, kalmar_coordinator, kalmar_report, katrineholm
):
    from organizations.models import Area

    centre = Area.objects.create(municipality=katrineholm, name="centrala Katrineholm")
    client.force_login(kalmar_coordinator)
    response = client.post(
        reverse("situation:finding-create", args=[kalmar_report.pk]),
        {
            "fynd-areas": [centre.pk],
            "fynd-text": "Fel kommun",
            "fynd-priority": 2,
            "fynd-visibility": "intern",
        },
    )
    assert response.status_code == 200
    assert not Finding.objects.filter(text="Fel kommun").exists()


def test_add_value_with_and_without_htmx(client, kalmar_coordinator, kalmar_report):
    client.force_login(kalmar_coordinator)
    indicator = kalmar_report.indicators.get(name="Använt narkotika")
    url = reverse("situation:value-create", args=[indicator.pk])
    data = {"varde-period": "2015", "varde-breakdown": "alla", "varde-value": "6,5"}
    response = client.post(url, data)
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=indicator, period="2015")
    assert str(value.value) == "6.50"
    assert response["Location"] == value.get_absolute_url()
    # Same period and group again replaces the value; htmx gets the values section back.
    data["varde-value"] = "7"
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="varden"')
    assert "<svg" in response.text  # two periods now: a chart over time
    assert IndicatorValue.objects.get(indicator=indicator, period="2015").value == 7


def test_delete_asks_first_then_removes(client, kalmar_coordinator, kalmar_report):
    client.force_login(kalmar_coordinator)
    source = kalmar_report.sources.first()
    url = reverse("situation:source-delete", args=[source.pk])
    assert client.get(url).status_code == 200
    assert Source.objects.filter(pk=source.pk).exists()
    assert client.post(url).status_code == 302
    assert not Source.objects.filter(pk=source.pk).exists()


def test_promise_links_are_empty_until_promises_link_here(kalmar_report):
    links = promise_links(kalmar_report)
    assert isinstance(links.promises, list)
    assert isinstance(links.by_finding, dict)


def test_every_object_has_a_url(kalmar_report):
    indicator = kalmar_report.indicators.first()
    for obj in [
        kalmar_report,
        kalmar_report.sources.first(),
        kalmar_report.findings.first(),
        indicator,
        indicator.values.first(),
    ]:
        assert obj.get_absolute_url().startswith("/arbetsyta/lagesbilder/")
