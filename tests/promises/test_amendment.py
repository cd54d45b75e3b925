"""Removing a commitment in an amendment destroys nothing that was published or reported."""

from datetime import date

import pytest

from activities import services as activity_services
from activities.models import Activity, ActivityReport
from followups import services as followup_services
from followups.models import CommitmentAssessment
from promises import services
from promises.models import Commitment
from tests.factories import sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(
    django_capture_on_commit_callbacks,
    kalmar_partnership,
    kalmar_coordinator,
    kalmar_police_coordinator,
    kalmar_police_chief,
    kalmar_municipal_signatory,
):
    user = kalmar_coordinator
    signers = (kalmar_police_chief, kalmar_municipal_signatory)
    with django_capture_on_commit_callbacks(execute=True):
        promise = services.promise_create(
            user=user,
            partnership=kalmar_partnership,
            title="Tryggare centrum",
            valid_from_date=date(2026, 1, 1),
            valid_to_date=date(2026, 12, 31),
        )
        kept = services.commitment_create(
            user=user, promise=promise, party="police", text="Polisen patrullerar i centrum."
        )
        walks = services.commitment_create(
            user=user,
            promise=promise,
            party="joint",
            text="Vi går trygghetsvandringar.",
            target_quantity=2,
            target_unit="trygghetsvandringar",
        )
        services.promise_submit_for_signing(user=user, promise=promise)
        for signer in signers:
            sign(signer, promise)
        plan = activity_services.activity_plan_create(user=user, promise=promise, year=2026)
        activity = activity_services.activity_create(
            user=user, plan=plan, commitment=walks, title="Trygghetsvandring i Oxhagen"
        )
        activity_services.activity_report_create(
            user=user, activity=activity, performed_date=date(2026, 3, 10), count=1
        )
        first = followup_services.followups_schedule(user=user, promise=promise)[0]
        followup_services.followup_start_draft(user=user, followup=first)
        for approver in (kalmar_police_coordinator, kalmar_coordinator):
            followup_services.followup_approve(user=approver, followup=first)
        followup_services.followup_publish(user=user, followup=first)
    promise.refresh_from_db()
    return {
        "promise": promise,
        "kept": kept,
        "walks": walks,
        "activity": activity,
        "followup": first,
        "signers": signers,
    }


def test_removing_a_signed_commitment_archives_it_and_keeps_what_refers_to_it(
    client, setting, kalmar_coordinator
):
    promise, walks = setting["promise"], setting["walks"]
    services.promise_amend(user=kalmar_coordinator, promise=promise)
    services.commitment_delete(user=kalmar_coordinator, commitment=walks)

    archived = Commitment.all_objects.get(pk=walks.pk)
    assert archived.archived_at is not None
    assert list(promise.commitments.values_list("pk", flat=True)) == [setting["kept"].pk]
    assert Activity.objects.filter(pk=setting["activity"].pk).exists()
    assert ActivityReport.objects.filter(activity=setting["activity"]).count() == 1
    assert CommitmentAssessment.objects.filter(followup=setting["followup"]).count() == 2
    # The public still reads the signed version, with its progress.
    data = client.get(f"/api/v1/promises/{promise.pk}").json()
    walk = next(c for c in data["commitments"] if c["id"] == walks.pk)
    # The published tertial counted one walk from the reports, against the signed target.
    assert walk["outcome"]["label"] == "1 av minst 2"
    assert [a["title"] for a in walk["activities"]] == ["Trygghetsvandring i Oxhagen"]


def test_a_commitment_nothing_refers_to_is_deleted(setting, kalmar_coordinator):
    promise = setting["promise"]
    services.promise_amend(user=kalmar_coordinator, promise=promise)
    promise.refresh_from_db()
    draft_only = services.commitment_create(
        user=kalmar_coordinator, promise=promise, party="police", text="Skrivet i utkastet."
    )
    services.commitment_delete(user=kalmar_coordinator, commitment=draft_only)
    assert not Commitment.all_objects.filter(pk=draft_only.pk).exists()


def test_after_the_new_version_is_signed_published_followups_keep_every_row(
    client, setting, kalmar_coordinator, django_capture_on_commit_callbacks
):
    promise, walks = setting["promise"], setting["walks"]
    with django_capture_on_commit_callbacks(execute=True):
        services.promise_amend(user=kalmar_coordinator, promise=promise)
        services.commitment_delete(user=kalmar_coordinator, commitment=walks)
        services.promise_submit_for_signing(user=kalmar_coordinator, promise=promise)
        for signer in setting["signers"]:
            sign(signer, promise)
    data = client.get(f"/api/v1/promises/{promise.pk}").json()
    assert [c["id"] for c in data["commitments"]] == [setting["kept"].pk]
    (followup,) = data["followups"]
    assert [a["commitment"] for a in followup["assessments"]] == [
        "Polisen patrullerar i centrum.",
        "Vi går trygghetsvandringar.",
    ]
    # The activity under the removed commitment is no longer public, but it is kept.
    assert (
        "Trygghetsvandring i Oxhagen" not in client.get(promise.get_public_url()).content.decode()
    )
    assert Activity.objects.filter(pk=setting["activity"].pk).exists()
    # A follow-up started now assesses the new signed version only.
    second = promise.followups.order_by("period_start_date")[1]
    followup_services.followup_start_draft(user=kalmar_coordinator, followup=second)
    assert list(second.assessments.values_list("commitment_id", flat=True)) == [setting["kept"].pk]
