"""Follow-ups: schedule, pre-fill, approval by both parties, publication, permissions."""

from datetime import date

import pytest
from django.urls import reverse

from followups import services
from followups.models import CommitmentAssessment, FollowUp, FollowUpApproval
from promises.models import Commitment, Promise
from promises.published import published_promise
from tests.activities.factories import (
    ActivityFactory,
    ActivityReportFactory,
    CommitmentFactory,
    FollowUpFactory,
    PromiseFactory,
)
from tests.factories import publish_working_copy

pytestmark = pytest.mark.django_db


def test_tertial_plan_gives_three_periods_with_due_dates(kalmar_promise):
    periods = services.followup_periods(published_promise(kalmar_promise.pk))
    assert [(p.title, p.start, p.end, p.due) for p in periods] == [
        ("Tertial 1 2020", date(2020, 1, 1), date(2020, 4, 30), date(2020, 5, 31)),
        ("Tertial 2 2020", date(2020, 5, 1), date(2020, 8, 31), date(2020, 9, 30)),
        ("Tertial 3 2020", date(2020, 9, 1), date(2020, 12, 31), date(2021, 1, 31)),
    ]


def test_yearly_plan_over_mid_year_promise(kalmar_partnership):
    promise = PromiseFactory(
        partnership=kalmar_partnership,
        valid_from_date=date(2019, 7, 1),
        valid_to_date=date(2021, 6, 30),
        followup_cadence=Promise.Cadence.HALF_YEARLY,
        published=True,
    )
    titles = [p.title for p in services.followup_periods(published_promise(promise.pk))]
    assert titles == ["Halvår 2 2019", "Halvår 1 2020", "Halvår 2 2020", "Halvår 1 2021"]


def test_schedule_view_creates_missing_followups_once(client, kalmar_coordinator, kalmar_promise):
    client.force_login(kalmar_coordinator)
    url = reverse("followups:followup-schedule", args=[kalmar_promise.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert kalmar_promise.followups.count() == 3
    assert set(kalmar_promise.followups.values_list("status", flat=True)) == {"planerad"}


@pytest.fixture
def followup(kalmar_plan):
    """Tertial 1 2020 with reports in and out of the period."""
    promise = kalmar_plan.promise
    raids = CommitmentFactory(
        promise=promise,
        party=Commitment.Party.POLICE,
        text="Polisen genomför riktade insatser mot narkotika.",
        target_quantity=6,
        target_unit="riktade insatser",
    )
    CommitmentFactory(promise=promise, text="Kommunen informerar invånarna.")
    activity = ActivityFactory(plan=kalmar_plan, commitment=raids)
    ActivityReportFactory(activity=activity, performed_date=date(2020, 2, 1), count=7)
    ActivityReportFactory(activity=activity, performed_date=date(2020, 4, 30), count=4)
    ActivityReportFactory(activity=activity, performed_date=date(2020, 5, 1), count=3)
    publish_working_copy(promise)  # the follow-up assesses the signed commitments
    return FollowUpFactory(promise=promise, period_end_date=date(2020, 4, 30))


def test_draft_is_prefilled_with_promised_vs_done(client, kalmar_coordinator, followup):
    client.force_login(kalmar_coordinator)
    response = client.post(reverse("followups:followup-start", args=[followup.pk]))
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.DRAFT
    raids, info = followup.assessments.order_by("order")
    assert raids.promised == "minst 6 riktade insatser"
    # 7 + 4 so far; the report of 1 May belongs to tertial 2.
    assert (raids.figure, raids.target_count, raids.report_count) == (11, 6, 2)
    assert raids.figure_source == CommitmentAssessment.FigureSource.REPORTS
    assert raids.figure_text == "11 av minst 6"
    assert raids.done_count == 11
    assert raids.status == CommitmentAssessment.Status.DONE
    assert raids.outcome == ""  # the coordinators' own words, never written for them
    # No reports and no target: no figure, "ingen uppgift", not "0 genomförda".
    assert info.figure is None and info.figure_source == ""
    assert info.status == CommitmentAssessment.Status.PLANNED
    page = client.get(followup.get_absolute_url()).content.decode()
    assert "11 av minst 6" in page and "räknat från 2 rapporter" in page
    assert "Ingen uppgift" in page


def _draft(followup, user):
    services.followup_start_draft(user=user, followup=followup)
    followup.refresh_from_db()
    return followup


def test_publication_needs_both_parties(
    client,
    kalmar_coordinator,
    kalmar_police_coordinator,
    followup,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    followup = _draft(followup, kalmar_coordinator)
    client.force_login(kalmar_coordinator)
    client.post(reverse("followups:followup-approve", args=[followup.pk]))
    approval = FollowUpApproval.objects.get()
    assert (approval.side, approval.user, approval.organisation.kind) == (
        "municipality",
        kalmar_coordinator,
        "kommun",
    )
    # Same side twice: refused. Publication with one approval: refused.
    client.post(reverse("followups:followup-approve", args=[followup.pk]))
    response = client.post(reverse("followups:followup-publish", args=[followup.pk]), follow=True)
    assert "Både polisen och kommunen" in response.content.decode()
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.DRAFT and followup.published_at is None
    assert FollowUpApproval.objects.count() == 1

    client.force_login(kalmar_police_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("followups:followup-approve", args=[followup.pk]))
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.APPROVED
    assert {a.side for a in followup.approvals.all()} == {"police", "municipality"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("followups:followup-publish", args=[followup.pk]))
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.PUBLISHED and followup.published_at
    subjects = [m.subject for m in mailoutbox]
    assert any("godkänd av båda parter" in s for s in subjects)
    assert any("är publicerad" in s for s in subjects)


def test_editing_withdraws_approvals(
    client, kalmar_coordinator, kalmar_police_coordinator, followup
):
    followup = _draft(followup, kalmar_coordinator)
    services.followup_approve(user=kalmar_coordinator, followup=followup)
    services.followup_approve(user=kalmar_police_coordinator, followup=followup)
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.APPROVED
    client.force_login(kalmar_coordinator)
    assessments = list(followup.assessments.order_by("order", "pk"))
    data = {
        "lock_version": followup.lock_version,
        "narrative": "Under tertialet genomfördes elva riktade insatser.",
        "bedomning-TOTAL_FORMS": len(assessments),
        "bedomning-INITIAL_FORMS": len(assessments),
        "indikator-TOTAL_FORMS": 1,
        "indikator-INITIAL_FORMS": 0,
        "indikator-0-name": "Anmälda narkotikabrott",
        "indikator-0-value": "42",
        "indikator-0-unit": "anmälningar",
        "indikator-0-period": "jan–apr 2020",
    }
    for i, a in enumerate(assessments):
        data |= {
            f"bedomning-{i}-id": a.pk,
            f"bedomning-{i}-status": "delvis_genomford",
            f"bedomning-{i}-outcome": a.outcome,
            f"bedomning-{i}-comment": "Kommentar",
        }
    response = client.post(reverse("followups:followup-edit", args=[followup.pk]), data)
    assert response.status_code == 302, response.content.decode()
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.DRAFT
    assert not followup.approvals.exists()
    assert followup.indicator_values.get().value == 42
    assert set(followup.assessments.values_list("status", flat=True)) == {"delvis_genomford"}
    # The same (now stale) form again is refused instead of overwriting.
    stale = client.post(reverse("followups:followup-edit", args=[followup.pk]), data)
    assert "Någon annan har sparat" in stale.content.decode()


ROLES = [
    "kalmar_coordinator",
    "kalmar_police_coordinator",
    "kalmar_police_chief",
    "kalmar_reader",
    "katrineholm_coordinator",
]
# role: (sees, writes, approves)
EXPECTED = {
    "kalmar_coordinator": (True, True, True),
    "kalmar_police_coordinator": (True, True, True),
    "kalmar_police_chief": (True, False, False),
    "kalmar_reader": (True, False, False),
    "katrineholm_coordinator": (False, False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, request, client, kalmar_coordinator, followup):
    followup = _draft(followup, kalmar_coordinator)
    user = request.getfixturevalue(role)
    sees, writes, approves = EXPECTED[role]
    client.force_login(user)
    hidden = 404
    assert client.get(followup.get_absolute_url()).status_code == (200 if sees else hidden)
    edit = client.get(reverse("followups:followup-edit", args=[followup.pk]))
    assert edit.status_code == (200 if writes else 403 if sees else hidden)
    approve = client.post(reverse("followups:followup-approve", args=[followup.pk]))
    assert approve.status_code == (302 if approves else 403 if sees else hidden)
    assert followup.approvals.exists() is approves
    listing = client.get(reverse("followups:followup-list")).content.decode()
    assert (followup.promise.title in listing) is sees


def test_schedule_refused_for_reader(client, kalmar_reader, kalmar_promise):
    client.force_login(kalmar_reader)
    url = reverse("followups:followup-schedule", args=[kalmar_promise.pk])
    assert client.post(url).status_code == 403
    assert not FollowUp.objects.exists()


def test_approval_by_superuser_without_a_side_is_refused(superuser, followup, kalmar_coordinator):
    from django.core.exceptions import PermissionDenied

    followup = _draft(followup, kalmar_coordinator)
    with pytest.raises(PermissionDenied):
        services.followup_approve(user=superuser, followup=followup)


def test_dashboard_lists_followups_due_and_awaiting_approval(
    client, kalmar_coordinator, kalmar_promise
):
    from django.utils import timezone

    today = timezone.localdate()
    FollowUpFactory(
        promise=kalmar_promise,
        title="Tertial snart",
        due_date=today,
        status=FollowUp.Status.DRAFT,
    )
    client.force_login(kalmar_coordinator)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "Uppföljningar att göra" in body
    assert "Tertial snart" in body
    assert "Väntar på ditt godkännande" in body
