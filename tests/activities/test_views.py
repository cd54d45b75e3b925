"""Activity plans, activities, reports and measures through the real views."""

from datetime import date

import pytest
from django.urls import reverse

from activities.models import Activity, ActivityPlan, ActivityReport, Measure
from promises.models import Commitment
from tests.activities.factories import (
    ActivityFactory,
    ActivityReportFactory,
    CommitmentFactory,
    MeasureFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def walks(kalmar_promise, districts):
    return CommitmentFactory(
        promise=kalmar_promise,
        text="Genomföra minst en trygghetsvandring/år i respektive stadsdel.",
        target_quantity=1,
        target_unit="trygghetsvandringar",
        target_period=Commitment.Period.YEAR,
        target_per_area=True,
        areas=districts,
    )


@pytest.fixture
def activity(kalmar_plan, walks, districts):
    return ActivityFactory(
        plan=kalmar_plan,
        commitment=walks,
        title="Trygghetsvandringar",
        target_count=1,
        target_unit="trygghetsvandringar",
        target_per_area=True,
        areas=districts,
    )


def test_plan_create_proposes_an_activity_per_commitment_with_its_target(
    client, kalmar_coordinator, kalmar_promise, walks
):
    other = CommitmentFactory(promise=kalmar_promise, text="Informera invånarna.")
    client.force_login(kalmar_coordinator)
    response = client.post(
        reverse("activities:plan-create"),
        {"promise": kalmar_promise.pk, "year": 2020, "seed_from_commitments": "on"},
    )
    plan = ActivityPlan.objects.get(promise=kalmar_promise, year=2020)
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    seeded = {a.commitment_id: a for a in plan.activities.all()}
    assert set(seeded) == {walks.pk, other.pk}
    walk = seeded[walks.pk]
    assert (walk.target_count, walk.target_unit, walk.target_per_area) == (
        1,
        "trygghetsvandringar",
        True,
    )
    assert walk.areas.count() == 5
    assert (walk.planned_start_date, walk.planned_end_date) == (
        date(2020, 1, 1),
        date(2020, 12, 31),
    )
    assert seeded[other.pk].target_count is None


def test_plan_year_outside_the_promise_is_refused(client, kalmar_coordinator, kalmar_promise):
    client.force_login(kalmar_coordinator)
    response = client.post(
        reverse("activities:plan-create"), {"promise": kalmar_promise.pk, "year": 2023}
    )
    assert response.status_code == 200
    assert "utanför löftets period" in response.content.decode()
    assert not ActivityPlan.objects.exists()


def test_activity_create_defaults_from_commitment(
    client, kalmar_police_coordinator, kalmar_plan, caplog
):
    tertial = CommitmentFactory(
        promise=kalmar_plan.promise,
        text="Minst en riktad insats per tertial.",
        target_quantity=1,
        target_unit="riktade insatser",
        target_period=Commitment.Period.TERTIAL,
        party=Commitment.Party.POLICE,
    )
    client.force_login(kalmar_police_coordinator)
    url = reverse("activities:activity-create", args=[kalmar_plan.pk])
    with caplog.at_level("WARNING"):
        assert client.get(f"{url}?commitment={tertial.pk}").status_code == 200
    # The form renders every field it has and asks for none it lacks (crispy logs those).
    assert not [r for r in caplog.records if "Could not resolve form field" in r.getMessage()]
    response = client.post(url, {"commitment": tertial.pk, "title": "Riktade insatser"})
    assert response.status_code == 302
    activity = Activity.objects.get(title="Riktade insatser")
    assert (activity.target_count, activity.target_unit) == (3, "riktade insatser")
    assert activity.responsible_organisation == kalmar_plan.promise.partnership.police_area


def test_activity_update_refuses_a_stale_save(client, kalmar_coordinator, activity):
    client.force_login(kalmar_coordinator)
    url = reverse("activities:activity-update", args=[activity.pk])
    form = {
        "title": "Nytt namn",
        "planned_start_date": "2020-01-01",
        "planned_end_date": "2020-12-31",
        "target_count": 1,
        "target_unit": "trygghetsvandringar",
        "target_per_area": "on",
        "status": "pagaende",
        "lock_version": activity.lock_version,
    }
    assert client.post(url, form).status_code == 302
    form["title"] = "Mitt namn"
    response = client.post(url, form)  # still the old lock_version
    assert response.status_code == 200
    assert "Någon annan har sparat" in response.content.decode()
    activity.refresh_from_db()
    assert activity.title == "Nytt namn"


def test_report_counts_towards_progress(client, kalmar_coordinator, activity, districts):
    client.force_login(kalmar_coordinator)
    detail = client.get(activity.get_absolute_url())
    assert "0 av 5 trygghetsvandringar" in detail.content.decode()
    response = client.post(
        reverse("activities:report-create", args=[activity.pk]),
        {
            "performed_date": "2020-04-22",
            "area": districts[0].pk,
            "count": 1,
            "participants": "Kommunen, polisen, boende",
            "findings": "Mörk gångtunnel.",
        },
    )
    assert response.status_code == 302
    report = ActivityReport.objects.get()
    assert report.reported_by == kalmar_coordinator
    activity.refresh_from_db()
    assert activity.status == Activity.Status.ONGOING
    assert "1 av 5 trygghetsvandringar" in client.get(activity.get_absolute_url()).content.decode()


def test_report_by_htmx_returns_the_refreshed_section(client, kalmar_coordinator, activity):
    client.force_login(kalmar_coordinator)
    response = client.post(
        reverse("activities:report-create", args=[activity.pk]),
        {"performed_date": "2020-05-02", "count": 2},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="rapporter"' in body and "<html" not in body
    assert "Rapporten är sparad" in body


@pytest.mark.parametrize(
    ("performed_date", "message"),
    [
        ("2019-12-31", "aktivitetsplanens år"),
        ("2099-01-01", "framtiden"),
        ("2999-01-01", "Ange ett datum mellan 2000-01-01 och 2100-12-31"),
        ("0001-01-01", "Ange ett datum mellan 2000-01-01 och 2100-12-31"),
    ],
)
def test_report_outside_the_plan_year_is_refused(
    client, kalmar_coordinator, activity, performed_date, message
):
    client.force_login(kalmar_coordinator)
    response = client.post(
        reverse("activities:report-create", args=[activity.pk]),
        {"performed_date": performed_date, "count": 1},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ActivityReport.objects.exists()


def test_findings_become_measures_with_owner_and_status(client, kalmar_coordinator, activity):
    report = ActivityReportFactory(activity=activity, findings="Mörk gångtunnel.")
    client.force_login(kalmar_coordinator)
    prefix = f"atgard-{report.pk}"
    client.post(
        reverse("activities:measure-create", args=[report.pk]),
        {f"{prefix}-description": "Byt belysning", f"{prefix}-owner": "Gatuenheten"},
    )
    measure = Measure.objects.get()
    assert (measure.owner, measure.status) == ("Gatuenheten", Measure.Status.PROPOSED)
    client.post(reverse("activities:measure-status", args=[measure.pk]), {"status": "atgardad"})
    measure.refresh_from_db()
    assert measure.status == Measure.Status.DONE


def test_plan_page_runs_constant_queries(
    client, kalmar_coordinator, kalmar_plan, districts, django_assert_max_num_queries
):
    client.force_login(kalmar_coordinator)
    url = kalmar_plan.get_absolute_url()
    client.get(url)  # warm the session and the user's roles

    def add(n):
        for _ in range(n):
            commitment = CommitmentFactory(
                promise=kalmar_plan.promise,
                target_quantity=1,
                target_unit="x",
                target_per_area=True,
                areas=districts[:2],
            )
            activity = ActivityFactory(plan=kalmar_plan, commitment=commitment, areas=districts[:2])
            ActivityReportFactory(activity=activity, area=districts[0])

    add(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add(6)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


# --- Permissions and scoping -----------------------------------------------------------

ROLES = [
    "kalmar_coordinator",
    "kalmar_police_coordinator",
    "kalmar_police_chief",
    "kalmar_reader",
    "katrineholm_coordinator",
]
# role: (sees the plan, may report and edit)
EXPECTED = {
    "kalmar_coordinator": (True, True),
    "kalmar_police_coordinator": (True, True),
    "kalmar_police_chief": (True, False),
    "kalmar_reader": (True, False),
    "katrineholm_coordinator": (False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, request, client, activity):
    user = request.getfixturevalue(role)
    sees, edits = EXPECTED[role]
    client.force_login(user)
    not_visible = 404
    assert client.get(activity.plan.get_absolute_url()).status_code == (200 if sees else 404)
    assert client.get(activity.get_absolute_url()).status_code == (200 if sees else 404)
    report = client.post(
        reverse("activities:report-create", args=[activity.pk]),
        {"performed_date": "2020-03-01", "count": 1},
    )
    assert report.status_code == (302 if edits else 403 if sees else not_visible)
    assert ActivityReport.objects.exists() is edits
    update = client.get(reverse("activities:activity-update", args=[activity.pk]))
    assert update.status_code == (200 if edits else 403 if sees else 404)
    listing = client.get(reverse("activities:plan-list")).content.decode()
    assert (activity.plan.promise.title in listing) is sees
    if sees and not edits:
        assert (
            "Rapportera genomförd aktivitet"
            not in client.get(activity.get_absolute_url()).content.decode()
        )


def test_measure_of_another_partnership_is_404(client, katrineholm_coordinator, activity):
    measure = MeasureFactory(report__activity=activity)
    client.force_login(katrineholm_coordinator)
    response = client.post(
        reverse("activities:measure-status", args=[measure.pk]), {"status": "atgardad"}
    )
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(client, activity):
    response = client.get(activity.get_absolute_url())
    assert response.status_code == 302 and "/konto/logga-in/" in response.url


def test_dashboard_shows_activities_this_month_and_overdue(client, kalmar_coordinator, activity):
    from django.utils import timezone

    today = timezone.localdate()
    overdue = ActivityFactory(
        plan=activity.plan,
        commitment=activity.commitment,
        title="Försenad vandring",
        planned_start_date=date(2020, 1, 1),
        planned_end_date=date(2020, 2, 1),
    )
    client.force_login(kalmar_coordinator)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "Aktiviteter planerade den här månaden" in body
    assert "Försenade aktiviteter" in body
    if today > overdue.planned_end_date:
        assert "Försenad vandring" in body
