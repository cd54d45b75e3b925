"""Registering a document signed on paper: the form, its refusals and what it records."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from promises.models import Promise, PromiseTransition, PromiseVersion, Signature
from promises.services import promise_snapshot
from promises.snapshot import sha256_of
from tests.promises.fixtures_ui import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

PAPER = [
    {"name": "Anna Polis", "title": "", "date": "2019-03-14", "place": "Kalmar"},
    {"name": "Bertil Kommun", "title": "Kommunstyrelsens ordförande", "date": "", "place": ""},
]


def url(promise):
    return reverse("promises:promise-paper-signatures", kwargs={"pk": promise.pk})


def requirements(promise):
    return list(promise.partnership.signatory_requirements.order_by("order", "pk"))


def paper_data(promise, rows=PAPER, note="Originalet finns i diariet."):
    data = {"note": note, "content_sha256": sha256_of(promise_snapshot(promise))}
    for requirement, row in zip(requirements(promise), rows, strict=True):
        data |= {f"underskrift-{requirement.pk}-{name}": value for name, value in row.items()}
    return data


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_page_shows_a_sub_form_per_role_and_the_content(client_for, draft):
    response = client_for("kalmar_coordinator").get(url(draft))

    assert response.status_code == 200
    assert "Lokalpolisområdeschef, LPO Kalmar" in response.text
    assert "Kommunens företrädare, Kalmar kommun" in response.text
    assert "Polisen besöker skolorna varje termin." in response.text
    assert sha256_of(promise_snapshot(draft)) in response.text
    assert 'type="date"' in response.text
    assert "Registrera underskrifterna och publicera" in response.text


def test_detail_page_links_to_the_form_only_for_editors(client_for, draft):
    assert url(draft) in client_for("kalmar_coordinator").get(draft.get_absolute_url()).text
    assert url(draft) not in client_for("kalmar_reader").get(draft.get_absolute_url()).text


def test_coordinator_records_both_signatures_and_publishes(client_for, draft):
    police, municipal = requirements(draft)

    response = client_for("kalmar_coordinator").post(url(draft), paper_data(draft))

    assert response.status_code == 302
    assert response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == Promise.Status.PUBLISHED
    version = draft.published_version
    signatures = {s.requirement_id: s for s in version.signatures.all()}
    assert {s.method for s in signatures.values()} == {Signature.Method.PAPER}
    assert signatures[police.pk].signer_name == "Anna Polis"
    assert signatures[police.pk].signer_title == police.title  # blank → the role's title
    assert signatures[police.pk].signed_on_date == date(2019, 3, 14)
    assert signatures[police.pk].place == "Kalmar"
    assert signatures[police.pk].signer is None
    assert signatures[municipal.pk].signer_name == "Bertil Kommun"
    assert signatures[municipal.pk].signer_title == "Kommunstyrelsens ordförande"
    assert signatures[municipal.pk].signed_on_date is None
    assert signatures[municipal.pk].place == ""
    paper = draft.transitions.get(kind=PromiseTransition.Kind.PAPER)
    assert paper.note == "Originalet finns i diariet."
    assert any("Pappersunderskrifterna är registrerade" in m for m in messages_of(response))
    assert "Löftet är nu publicerat." in messages_of(response)


def test_a_missing_name_is_a_swedish_error_and_nothing_is_saved(client_for, draft):
    rows = [PAPER[0], {**PAPER[1], "name": "  "}]

    response = client_for("kalmar_coordinator").post(url(draft), paper_data(draft, rows))

    assert response.status_code == 200
    assert "Det gick inte att spara" in response.text
    assert (
        "Skriv namnet på den som skrev under som Kommunens företrädare, Kalmar kommun."
        in response.text
    )
    assert not PromiseVersion.objects.filter(promise=draft).exists()
    draft.refresh_from_db()
    assert draft.status == Promise.Status.DRAFT


def test_an_invalid_date_is_a_swedish_error(client_for, draft):
    rows = [{**PAPER[0], "date": "14 mars"}, PAPER[1]]

    response = client_for("kalmar_coordinator").post(url(draft), paper_data(draft, rows))

    assert response.status_code == 200
    assert "Fyll i ett giltigt datum." in response.text
    assert not PromiseVersion.objects.filter(promise=draft).exists()


def test_a_draft_changed_meanwhile_is_shown_again_not_recorded(client_for, draft):
    data = paper_data(draft)
    Promise.objects.filter(pk=draft.pk).update(title="Tryggare Kalmar, ny rubrik")

    response = client_for("kalmar_coordinator").post(url(draft), data)

    assert response.status_code == 200
    assert "Utkastet har ändrats sedan du öppnade sidan" in response.text
    assert "Tryggare Kalmar, ny rubrik" in response.text
    assert not PromiseVersion.objects.filter(promise=draft).exists()


@pytest.mark.parametrize("role", ["kalmar_reader", "kalmar_police_chief"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_readers_and_signatories_are_forbidden(client_for, draft, role, method):
    client = client_for(role)

    response = getattr(client, method)(url(draft), paper_data(draft))

    assert response.status_code == 403
    assert not PromiseVersion.objects.filter(promise=draft).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_kommun_gets_404(client_for, draft, method):
    response = getattr(client_for("katrineholm_coordinator"), method)(url(draft), paper_data(draft))

    assert response.status_code == 404
    assert not PromiseVersion.objects.filter(promise=draft).exists()


def test_anonymous_is_sent_to_log_in(client_for, draft):
    response = client_for("anonymous").get(url(draft))

    assert response.status_code == 302
    assert "/konto/logga-in/" in response.url


@pytest.mark.parametrize("method", ["get", "post"])
def test_not_a_draft_is_refused_with_a_message(client_for, awaiting, method):
    versions = PromiseVersion.objects.filter(promise=awaiting).count()

    response = getattr(client_for("kalmar_coordinator"), method)(
        url(awaiting), paper_data(awaiting)
    )

    assert response.status_code == 302
    assert response.url == awaiting.get_absolute_url()
    assert "Pappersunderskrifter registreras på ett utkast." in messages_of(response)
    assert PromiseVersion.objects.filter(promise=awaiting).count() == versions
    assert not Signature.objects.filter(version__promise=awaiting).exists()
    awaiting.refresh_from_db()
    assert awaiting.status == Promise.Status.AWAITING_SIGNATURES
