"""The issue's own check on the demo: amend Katrineholm 2020 and read every public surface."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from demo import promises as promises_demo
from followups import services as followup_services
from followups.models import FollowUp
from promises import services
from promises.models import Commitment, Promise
from situation import services as situation_services
from situation.models import Visibility
from tests.factories import force_sql
from tests.public.test_leak_matrix import where

pytestmark = pytest.mark.django_db

MARKERS = ["Ypsilonutkast", "Fiutkast", "Khiutkast"]


def user(name):
    return get_user_model().objects.get(username=name)


def surfaces(client, pk):
    paths = [
        "/",
        "/kommuner/",
        "/kommuner/katrineholm/",
        f"/medborgarloften/{pk}/",
        f"/api/v1/promises/{pk}",
        f"/api/v1/promises/{pk}/kedja",
        "/api/v1/promises",
        "/api/v1/commitments.csv",
        "/api/v1/followups.csv",
        "/flode/",
        "/kommuner/katrineholm/flode/",
        "/sitemap.xml",
    ]
    texts = {path: client.get(path).getvalue().decode("utf-8") for path in paths}
    for marker in MARKERS:
        page = client.get(f"/sok/?q={marker}").content.decode()
        start = page.index('id="traffar"')
        texts[f"/sok/?q={marker}"] = page[start : page.index("</ol>", start)]
    return texts


def test_amending_katrineholm_2020_leaves_the_public_on_the_signed_twelve(
    client, full_demo, django_capture_on_commit_callbacks
):
    promise = Promise.objects.get(title=promises_demo.KATRINEHOLM_TITLE)
    coordinator = user("katrineholm-samordnare")
    before = client.get(f"/api/v1/promises/{promise.pk}").json()
    assert len(before["commitments"]) == 12 and before["status"] == "ended"
    signed_texts = [c["text"] for c in before["commitments"]]

    with django_capture_on_commit_callbacks(execute=True):
        services.promise_amend(user=coordinator, promise=promise)
        promise.refresh_from_db()
        first, second, *_ = promise.commitments.order_by("order")
        services.commitment_update(
            user=coordinator,
            commitment=first,
            expected_version=first.lock_version,
            data={"text": f"Polisen {MARKERS[0]} i centrum."},
        )
        services.commitment_create(
            user=coordinator,
            promise=promise,
            party=Commitment.Party.POLICE,
            text=f"Polisen {MARKERS[1]} varje vecka.",
        )
        services.commitment_delete(user=coordinator, commitment=second)
        report = situation_services.situation_report_create(
            user=coordinator,
            partnership=promise.partnership,
            title=f"Ny lägesbild {MARKERS[2]}",
            summary=f"{MARKERS[2]}.",
        )
        situation_services.source_create(
            user=coordinator,
            report=report,
            kind="medborgardialog",
            title=f"Dialog {MARKERS[2]}",
            visibility=Visibility.PUBLIC,
        )
        services.promise_update(
            user=coordinator,
            promise=promise,
            expected_version=promise.lock_version,
            data={"situation_report": report},
        )
        # The third tertial is finished and published during the amendment.
        third = FollowUp.objects.get(promise=promise, title="Tertial 3 2020")
        followup_services.followup_refresh_counts(
            user=coordinator, followup=third, expected_version=third.lock_version
        )
        for approver in ("katrineholm-kommunpolis", "katrineholm-samordnare"):
            followup_services.followup_approve(user=user(approver), followup=third)
        followup_services.followup_publish(user=coordinator, followup=third)

    texts = surfaces(client, promise.pk)
    for marker in MARKERS:
        assert where(texts, marker) == set(), marker
    after = client.get(f"/api/v1/promises/{promise.pk}").json()
    assert [c["text"] for c in after["commitments"]] == signed_texts
    assert after["status"] == "ended"
    assert "Avslutat" in client.get(f"/medborgarloften/{promise.pk}/").content.decode()
    published = next(f for f in after["followups"] if f["title"] == "Tertial 3 2020")
    assert [a["commitment"] for a in published["assessments"]] == signed_texts

    call_command("verify_signatures")
    force_sql(
        "UPDATE promises_promiseversion SET snapshot = jsonb_set(snapshot, '{title}', "
        "'\"Ändrat\"') WHERE id = %s",
        [promise.published_version_id],
    )
    with pytest.raises(CommandError):
        call_command("verify_signatures")
