"""The leak matrix: every public surface × every state, with a unique marker word per state.

A published promise is amended (one commitment changed, one added, one
removed, a new lägesbild linked), follow-ups are written during the
amendment (one published, one approved by one side, one a draft), a second
promise is a draft, a third awaits signatures with one of two signatures, a
fourth ended years ago. Each state carries its own marker word. Every public
surface is fetched; each marker must appear exactly where it is published
and nowhere else.
"""

import csv
import io
import json
from datetime import date

import pytest

from activities import services as activity_services
from core.models import SearchEntry
from followups import services as followup_services
from followups.models import FollowUp
from promises import services
from promises.models import Commitment, Promise
from public import pdf
from public.read import promise_page
from situation import services as situation_services
from situation.models import Visibility
from tests.factories import sign

pytestmark = pytest.mark.django_db

# Published, signed: must be public.
S_TITLE = "Alfasignerat"
S_KEEP = "Betasignerat"
S_CHANGED = "Gammasignerat"
S_REMOVED = "Deltasignerat"
S_SITUATION = "Epsilonsignerat"
S_ACTIVITY = "Zetasignerat"
S_FOLLOWUP = "Etasignerat"
ENDED_TITLE = "Thetaavslutat"
# Not signed, not published: must appear nowhere public.
D_TITLE = "Iotautkast"
D_CHANGED = "Kappautkast"
D_ADDED = "Lambdautkast"
D_SITUATION = "Myutkast"
D_ACTIVITY = "Nyutkast"
D_FOLLOWUP_DRAFT = "Xiutkast"
D_FOLLOWUP_HALF = "Omikronutkast"
DRAFT_PROMISE = "Piutkast"
AWAITING_PROMISE = "Rhoutkast"
INTERNAL_FINDING = "Sigmaintern"
# The signed lägesbild edited after signing: the public keeps the frozen one.
EDITED_SITUATION = "Tauandrat"

HIDDEN = [
    D_TITLE,
    D_CHANGED,
    D_ADDED,
    D_SITUATION,
    D_ACTIVITY,
    D_FOLLOWUP_DRAFT,
    D_FOLLOWUP_HALF,
    DRAFT_PROMISE,
    AWAITING_PROMISE,
    INTERNAL_FINDING,
    EDITED_SITUATION,
]


def _sign_all(promise, signers):
    for signer in signers:
        sign(signer, promise)
    promise.refresh_from_db()


def _report(user, partnership, marker):
    report = situation_services.situation_report_create(
        user=user,
        partnership=partnership,
        title=f"Lägesbild {marker}",
        summary=f"Sammanfattning {marker}.",
    )
    situation_services.source_create(
        user=user,
        report=report,
        kind="trygghetsmatning",
        title=f"Trygghetsmätning {marker}",
        visibility=Visibility.PUBLIC,
    )
    return report


@pytest.fixture
def world(
    django_capture_on_commit_callbacks,
    kalmar_partnership,
    kalmar,
    kalmar_coordinator,
    kalmar_police_coordinator,
    kalmar_police_chief,
    kalmar_municipal_signatory,
):
    signers = (kalmar_police_chief, kalmar_municipal_signatory)
    user = kalmar_coordinator
    with django_capture_on_commit_callbacks(execute=True):
        signed_report = _report(user, kalmar_partnership, S_SITUATION)
        situation_services.finding_create(
            user=user,
            report=signed_report,
            text=f"Internt fynd {INTERNAL_FINDING}.",
            visibility=Visibility.INTERNAL,
        )
        promise = services.promise_create(
            user=user,
            partnership=kalmar_partnership,
            title=f"Löftet {S_TITLE}",
            valid_from_date=date(2026, 1, 1),
            valid_to_date=date(2026, 12, 31),
            situation_report=signed_report,
        )
        keep = services.commitment_create(
            user=user,
            promise=promise,
            party=Commitment.Party.POLICE,
            text=f"Polisen {S_KEEP} i centrum.",
            target_quantity=10,
            target_unit="insatser",
        )
        changed = services.commitment_create(
            user=user,
            promise=promise,
            party=Commitment.Party.MUNICIPALITY,
            municipality=kalmar,
            text=f"Kommunen {S_CHANGED} med skolorna.",
        )
        removed = services.commitment_create(
            user=user,
            promise=promise,
            party=Commitment.Party.JOINT,
            text=f"Tillsammans {S_REMOVED} en gång.",
        )
        services.promise_submit_for_signing(user=user, promise=promise)
        _sign_all(promise, signers)
        assert promise.status == Promise.Status.PUBLISHED

        plan = activity_services.activity_plan_create(user=user, promise=promise, year=2026)
        signed_activity = activity_services.activity_create(
            user=user, plan=plan, commitment=keep, title=f"Aktivitet {S_ACTIVITY}"
        )
        activity_services.activity_report_create(
            user=user, activity=signed_activity, performed_date=date(2026, 3, 1), count=3
        )

        # The amendment: nothing of it is signed.
        services.promise_amend(user=user, promise=promise)
        promise.refresh_from_db()
        draft_report = _report(user, kalmar_partnership, D_SITUATION)
        services.promise_update(
            user=user,
            promise=promise,
            expected_version=promise.lock_version,
            data={"title": f"Löftet {D_TITLE}", "situation_report": draft_report},
        )
        changed.refresh_from_db()
        services.commitment_update(
            user=user,
            commitment=changed,
            expected_version=changed.lock_version,
            data={"text": f"Kommunen {D_CHANGED} med skolorna."},
        )
        added = services.commitment_create(
            user=user,
            promise=promise,
            party=Commitment.Party.POLICE,
            text=f"Polisen {D_ADDED} varje vecka.",
            target_quantity=1485,
            target_unit="insatser",
        )
        services.commitment_delete(user=user, commitment=removed)
        # The signed lägesbild itself changes after signing (a public source renamed, a
        # public finding added): only a newly signed version may carry that.
        signed_source = signed_report.sources.get()
        situation_services.source_update(
            user=user,
            source=signed_source,
            expected_version=signed_source.lock_version,
            data={"title": f"Trygghetsmätning {EDITED_SITUATION}"},
        )
        situation_services.finding_create(
            user=user,
            report=signed_report,
            text=f"Nytt fynd {EDITED_SITUATION}.",
            visibility=Visibility.PUBLIC,
        )
        activity_services.activity_create(
            user=user, plan=plan, commitment=added, title=f"Aktivitet {D_ACTIVITY}"
        )

        # Follow-ups written during the amendment.
        first, second, third = followup_services.followups_schedule(user=user, promise=promise)
        for followup, narrative in (
            (first, S_FOLLOWUP),
            (second, D_FOLLOWUP_HALF),
            (third, D_FOLLOWUP_DRAFT),
        ):
            followup_services.followup_start_draft(user=user, followup=followup)
            followup.refresh_from_db()
            followup_services.followup_update(
                user=user,
                followup=followup,
                expected_version=followup.lock_version,
                narrative=f"Under perioden {narrative}.",
                assessments={},
            )
        for approver in (kalmar_police_coordinator, kalmar_coordinator):
            followup_services.followup_approve(user=approver, followup=first)
        followup_services.followup_publish(user=user, followup=first)
        followup_services.followup_approve(user=kalmar_police_coordinator, followup=second)

        # A draft, a promise signed by one of two, and one that ended long ago.
        draft = services.promise_create(
            user=user,
            partnership=kalmar_partnership,
            title=f"Utkastet {DRAFT_PROMISE}",
            valid_from_date=date(2027, 1, 1),
            valid_to_date=date(2027, 12, 31),
        )
        services.commitment_create(
            user=user, promise=draft, party="police", text=f"Polisen {DRAFT_PROMISE}."
        )
        awaiting = services.promise_create(
            user=user,
            partnership=kalmar_partnership,
            title=f"Väntar {AWAITING_PROMISE}",
            valid_from_date=date(2026, 1, 1),
            valid_to_date=date(2026, 12, 31),
        )
        services.commitment_create(
            user=user, promise=awaiting, party="police", text=f"Polisen {AWAITING_PROMISE}."
        )
        services.promise_submit_for_signing(user=user, promise=awaiting)
        sign(kalmar_police_chief, awaiting)
        ended = services.promise_create(
            user=user,
            partnership=kalmar_partnership,
            title=f"Löftet {ENDED_TITLE}",
            valid_from_date=date(2023, 1, 1),
            valid_to_date=date(2024, 12, 31),
        )
        services.commitment_create(
            user=user, promise=ended, party="joint", text=f"Tillsammans {ENDED_TITLE}."
        )
        services.promise_submit_for_signing(user=user, promise=ended)
        _sign_all(ended, signers)
    return {
        "promise": promise,
        "draft": draft,
        "awaiting": awaiting,
        "ended": ended,
        "first_followup": first,
        "signers": signers,
        "changed": changed,
    }


def public_surfaces(client, world) -> dict[str, str]:
    """Everything the public can fetch, by address, as text."""
    promises = [world[key] for key in ("promise", "draft", "awaiting", "ended")]
    paths = [
        "/",
        "/kommuner/",
        "/kommuner/kalmar/",
        "/flode/",
        "/kommuner/kalmar/flode/",
        "/sitemap.xml",
        "/api/v1/promises",
        "/api/v1/promises?status=active",
        "/api/v1/promises?status=ended",
        "/api/v1/municipalities",
        "/api/v1/commitments.csv",
        "/api/v1/followups.csv",
    ]
    for promise in promises:
        paths += [
            f"/medborgarloften/{promise.pk}/",
            f"/medborgarloften/{promise.pk}/pdf/",
            f"/api/v1/promises/{promise.pk}",
            f"/api/v1/promises/{promise.pk}/kedja",
        ]
        paths += [f"/api/v1/promises/{promise.pk}/versioner/{n}" for n in (1, 2, 3)]
    for marker in [S_TITLE, S_KEEP, S_CHANGED, S_REMOVED, S_ACTIVITY, S_FOLLOWUP, *HIDDEN]:
        paths.append(f"/sok/?q={marker}")
    texts = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        if path.endswith("/pdf/"):
            continue  # compressed; its HTML is checked below
        # JSON escapes nothing (UTF-8), so a marker reads as typed.
        text = response.getvalue().decode("utf-8")
        if path.startswith("/sok/"):
            # The page repeats what was typed; only the hits count.
            text = text[
                text.index('id="traffar"') : text.index("</ol>", text.index('id="traffar"'))
            ]
        texts[path] = text
    from promises.published import try_published_promise

    for promise in promises:
        published = try_published_promise(promise.pk)
        if published is not None:
            texts[f"pdf-html:{promise.pk}"] = pdf.promise_pdf_html(promise_page(promise.pk))
    return texts


def where(texts: dict[str, str], marker: str) -> set[str]:
    return {path for path, text in texts.items() if marker in text}


def test_unsigned_words_appear_nowhere_public(client, world):
    texts = public_surfaces(client, world)
    for marker in HIDDEN:
        assert where(texts, marker) == set(), marker
    # Nor anywhere in the search index itself.
    indexed = " ".join(f"{e.title} {e.body} {e.url}" for e in SearchEntry.objects.all())
    assert S_TITLE in indexed
    for marker in HIDDEN:
        assert marker not in indexed, marker


def test_signed_words_appear_where_they_are_published(client, world):
    texts = public_surfaces(client, world)
    promise, ended = world["promise"], world["ended"]
    page, api = f"/medborgarloften/{promise.pk}/", f"/api/v1/promises/{promise.pk}"
    pdf_html = f"pdf-html:{promise.pk}"
    for marker in (S_TITLE, S_KEEP, S_CHANGED, S_REMOVED):
        found = where(texts, marker)
        assert {page, api, pdf_html, "/api/v1/commitments.csv", f"/sok/?q={marker}"} <= found
    assert {page, api} <= where(texts, S_SITUATION)  # the lägesbild frozen with the version
    assert {page, api, f"/sok/?q={S_ACTIVITY}"} <= where(texts, S_ACTIVITY)
    assert {page, api, f"/sok/?q={S_FOLLOWUP}"} <= where(texts, S_FOLLOWUP)
    assert {"/", "/kommuner/kalmar/", "/flode/", "/api/v1/promises"} <= where(texts, S_TITLE)
    assert f"/medborgarloften/{ended.pk}/" in where(texts, ENDED_TITLE)


def test_unpublished_promises_are_404_on_every_address(client, world):
    for key in ("draft", "awaiting"):
        pk = world[key].pk
        for path in (
            f"/medborgarloften/{pk}/",
            f"/medborgarloften/{pk}/pdf/",
            f"/api/v1/promises/{pk}",
            f"/api/v1/promises/{pk}/kedja",
            f"/api/v1/promises/{pk}/versioner/1",
        ):
            assert client.get(path).status_code == 404, path


def test_the_public_keeps_the_three_signed_commitments_during_the_amendment(client, world):
    promise = world["promise"]
    data = client.get(f"/api/v1/promises/{promise.pk}").json()
    texts = [c["text"] for c in data["commitments"]]
    assert len(texts) == 3
    assert any(S_CHANGED in t for t in texts) and any(S_REMOVED in t for t in texts)
    assert data["title"] == f"Löftet {S_TITLE}"
    assert data["situation_summary"]["title"] == f"Lägesbild {S_SITUATION}"
    # The published follow-up measured against the signed target (10), not the draft's 1485.
    keep = next(c for c in data["commitments"] if S_KEEP in c["text"])
    assert keep["outcome"]["label"] == "3 av minst 10"


def test_a_followup_written_during_the_amendment_assesses_the_signed_version(client, world):
    promise = world["promise"]
    data = client.get(f"/api/v1/promises/{promise.pk}").json()
    (followup,) = data["followups"]
    assessed = [a["commitment"] for a in followup["assessments"]]
    assert len(assessed) == 3
    assert any(S_CHANGED in t for t in assessed) and any(S_REMOVED in t for t in assessed)
    assert not any(D_CHANGED in t or D_ADDED in t for t in assessed)
    body = client.get("/api/v1/followups.csv").getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
    assert {r["commitment"] for r in rows} == set(assessed)


def test_active_and_ended_follow_from_the_signed_dates(client, world):
    promise, ended = world["promise"], world["ended"]
    ended.refresh_from_db()
    assert ended.status == Promise.Status.PUBLISHED  # no cron ran: the workflow never ended it
    assert client.get(f"/api/v1/promises/{ended.pk}").json()["status"] == "ended"
    assert client.get(f"/api/v1/promises/{promise.pk}").json()["status"] == "active"
    assert "Avslutat" in client.get(f"/medborgarloften/{ended.pk}/").content.decode()
    assert "Gällande" in client.get(f"/medborgarloften/{promise.pk}/").content.decode()
    active_ids = {p["id"] for p in client.get("/api/v1/promises?status=active").json()["items"]}
    ended_ids = {p["id"] for p in client.get("/api/v1/promises?status=ended").json()["items"]}
    assert active_ids == {promise.pk} and ended_ids == {ended.pk}
    kommun = client.get("/kommuner/kalmar/").content.decode()
    earlier = kommun[kommun.index('id="tidigare"') :]
    assert ENDED_TITLE in earlier and S_TITLE not in earlier


def test_once_the_amendment_is_signed_the_public_sees_it_and_keeps_every_published_row(
    client, world, django_capture_on_commit_callbacks, kalmar_coordinator
):
    promise = world["promise"]
    with django_capture_on_commit_callbacks(execute=True):
        services.promise_submit_for_signing(user=kalmar_coordinator, promise=promise)
        _sign_all(promise, world["signers"])
    data = client.get(f"/api/v1/promises/{promise.pk}").json()
    assert data["version"] == 2
    texts = " ".join(c["text"] for c in data["commitments"])
    assert D_CHANGED in texts and D_ADDED in texts
    assert S_CHANGED not in texts and S_REMOVED not in texts
    assert data["title"] == f"Löftet {D_TITLE}"
    assert data["situation_summary"]["title"] == f"Lägesbild {D_SITUATION}"
    # The follow-up published under version 1 keeps every row it was published with.
    (followup,) = data["followups"]
    assert any(S_REMOVED in a["commitment"] for a in followup["assessments"])
    # Version 1 stays public, byte for byte, and the chain carries both versions.
    first = client.get(f"/api/v1/promises/{promise.pk}/versioner/1")
    assert first.status_code == 200 and S_REMOVED in first.content.decode()
    chain = client.get(f"/api/v1/promises/{promise.pk}/kedja").json()
    assert [r["kind"] for r in chain["records"]].count("version") == 2
    # The follow-up drafts are still not public.
    body = json.dumps(data, ensure_ascii=False)
    assert D_FOLLOWUP_DRAFT not in body and D_FOLLOWUP_HALF not in body
    assert FollowUp.objects.filter(status=FollowUp.Status.PUBLISHED).count() == 1
