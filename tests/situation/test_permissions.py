"""Scoping and permissions: role × page, querysets, and services that re-check."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from situation import services
from situation.models import Finding, Indicator, SituationReport, Source
from situation.permissions import can_edit_report, can_view_report

pytestmark = pytest.mark.django_db

ROLES = [
    "kalmar_coordinator",
    "kalmar_police_coordinator",
    "kalmar_police_chief",
    "kalmar_reader",
    "katrineholm_coordinator",
    "superuser",
]
# role: (reads Kalmar's report, edits it)
EXPECTED = {
    "kalmar_coordinator": (True, True),
    "kalmar_police_coordinator": (True, True),
    "kalmar_police_chief": (True, False),
    "kalmar_reader": (True, False),
    "katrineholm_coordinator": (False, False),
    "superuser": (True, True),
}


@pytest.fixture
def user_for(request):
    def get(role):
        return AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)

    return get


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_predicates_and_querysets(role, user_for, kalmar_report):
    user = user_for(role)
    reads, edits = EXPECTED.get(role, (False, False))
    assert can_view_report(user, kalmar_report) is reads
    assert can_edit_report(user, kalmar_report) is edits
    assert (kalmar_report in SituationReport.objects.visible_to(user)) is reads
    assert (kalmar_report in SituationReport.objects.editable_by(user)) is edits
    source = kalmar_report.sources.first()
    assert (source in Source.objects.visible_to(user)) is reads
    assert user.has_perm("situation.see_report", source) is reads
    assert user.has_perm("situation.edit_report", source) is edits


def _pages(report):
    source = report.sources.first()
    finding = report.findings.first()
    indicator = report.indicators.first()
    value = indicator.values.first()
    read = [
        report.get_absolute_url(),
        indicator.get_absolute_url(),
    ]
    write = [
        reverse("situation:report-update", args=[report.pk]),
        reverse("situation:source-create", args=[report.pk]),
        reverse("situation:source-update", args=[source.pk]),
        reverse("situation:source-delete", args=[source.pk]),
        reverse("situation:finding-create", args=[report.pk]),
        reverse("situation:finding-update", args=[finding.pk]),
        reverse("situation:finding-delete", args=[finding.pk]),
        reverse("situation:indicator-create", args=[report.pk]),
        reverse("situation:indicator-update", args=[indicator.pk]),
        reverse("situation:indicator-delete", args=[indicator.pk]),
        reverse("situation:value-create", args=[indicator.pk]),
        reverse("situation:value-update", args=[value.pk]),
        reverse("situation:value-delete", args=[value.pk]),
        reverse("situation:indicator-import", args=[report.pk]),
    ]
    return read, write


@pytest.mark.parametrize("role", ROLES)
def test_pages_404_outside_403_when_not_allowed(role, user_for, client, kalmar_report):
    client.force_login(user_for(role))
    reads, edits = EXPECTED[role]
    read, write = _pages(kalmar_report)
    for url in read:
        assert client.get(url).status_code == (200 if reads else 404), url
    for url in write:
        expected = 200 if edits else (403 if reads else 404)
        assert client.get(url).status_code == expected, url
    # Posting is refused the same way, and nothing is created.
    response = client.post(
        reverse("situation:source-create", args=[kalmar_report.pk]),
        {"kalla-kind": "annan", "kalla-title": "Ny källa", "kalla-visibility": "intern"},
    )
    assert response.status_code == (302 if edits else (403 if reads else 404))
    assert Source.objects.filter(title="Ny källa").exists() is edits


def test_anonymous_is_sent_to_login(client, kalmar_report):
    response = client.get(kalmar_report.get_absolute_url())
    assert response.status_code == 302
    assert "/konto/" in response["Location"]


def test_list_shows_only_own_reports(client, kalmar_coordinator, kalmar_report, katrineholm_report):
    client.force_login(kalmar_coordinator)
    response = client.get(reverse("situation:report-list"))
    assert response.status_code == 200
    assert "Lägesbild Kalmar test" in response.text
    assert "Lägesbild Katrineholm test" not in response.text


def test_katrineholm_cannot_create_report_for_kalmar(
    client, katrineholm_coordinator, kalmar_partnership
):
    client.force_login(katrineholm_coordinator)
    response = client.post(
        reverse("situation:report-create"),
        {"partnership": kalmar_partnership.pk, "title": "Inbrytning"},
    )
    assert response.status_code == 200  # the partnership is not a valid choice
    assert not SituationReport.objects.filter(title="Inbrytning").exists()


def test_reader_cannot_create_report(client, kalmar_reader):
    client.force_login(kalmar_reader)
    assert client.get(reverse("situation:report-create")).status_code == 403


@pytest.mark.parametrize(
    "role", ["kalmar_reader", "kalmar_police_chief", "katrineholm_coordinator"]
)
def test_services_recheck_permission(role, user_for, kalmar_report, kalmar_partnership):
    user = user_for(role)
    source = kalmar_report.sources.first()
    finding = kalmar_report.findings.first()
    indicator = kalmar_report.indicators.first()
    calls = [
        lambda: services.situation_report_create(
            user=user, partnership=kalmar_partnership, title="X"
        ),
        lambda: services.situation_report_update(
            user=user, report=kalmar_report, expected_version=1, data={"title": "X"}
        ),
        lambda: services.source_create(user=user, report=kalmar_report, kind="annan", title="X"),
        lambda: services.source_delete(user=user, source=source),
        lambda: services.finding_update(
            user=user, finding=finding, expected_version=finding.lock_version, data={"text": "X"}
        ),
        lambda: services.source_update(
            user=user, source=source, expected_version=source.lock_version, data={"title": "X"}
        ),
        lambda: services.indicator_create(user=user, report=kalmar_report, name="X"),
        lambda: services.indicator_value_set(
            user=user, indicator=indicator, period="2020", value=1
        ),
        lambda: services.indicator_values_import(user=user, report=kalmar_report, rows=[]),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert Source.objects.filter(pk=source.pk).exists()
    assert not Indicator.objects.filter(name="X").exists()
    assert Finding.objects.get(pk=finding.pk).text != "X"
