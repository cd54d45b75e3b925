"""A document signed on paper: recorded with its scan by one party, confirmed by the other."""

import hashlib
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from promises import services
from promises.models import PaperSigning, Promise, PromiseTransition, PromiseVersion, Signature
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


SCAN = b"%PDF-1.7\n% en skannad sida\n%%EOF\n"


def scan(content=SCAN, name="underskrifter.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def paper_data(promise, rows=PAPER, note="Originalet finns i diariet.", upload=None):
    data = {
        "note": note,
        "content_sha256": sha256_of(promise_snapshot(promise)),
        "scan": upload or scan(),
    }
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
    assert 'type="file"' in response.text and 'enctype="multipart/form-data"' in response.text
    assert "Registrera och skicka för bekräftelse" in response.text


def test_detail_page_links_to_the_form_only_for_editors(client_for, draft):
    assert url(draft) in client_for("kalmar_coordinator").get(draft.get_absolute_url()).text
    assert url(draft) not in client_for("kalmar_reader").get(draft.get_absolute_url()).text


def test_recorded_paper_signatures_wait_for_the_other_party(
    client_for, draft, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("kalmar_coordinator").post(url(draft), paper_data(draft))

    assert response.status_code == 302
    assert response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == Promise.Status.AWAITING_PAPER
    assert draft.published_version is None
    assert not Signature.objects.filter(version__promise=draft).exists()
    paper = PaperSigning.objects.get(promise=draft)
    assert paper.status == PaperSigning.Status.PENDING
    assert paper.scan_sha256 == hashlib.sha256(SCAN).hexdigest()
    assert paper.scan.read() == SCAN
    assert paper.recorded_for.is_municipality
    assert any("bekräftar dem innan löftet publiceras" in m for m in messages_of(response))
    # The other side's coordinators and the named signatories are told.
    told = {address for m in mailoutbox for address in m.to}
    assert "t-kalmar-kommunpolis@example.invalid" in told
    assert "t-kalmar-lpo-chef@example.invalid" in told
    assert "t-kalmar-samordnare@example.invalid" not in told


def test_the_other_party_confirms_and_the_promise_is_published(client_for, draft, everyone):
    police, municipal = requirements(draft)
    client_for("kalmar_coordinator").post(url(draft), paper_data(draft))
    confirm = reverse("promises:promise-paper-confirm", args=[draft.pk])

    response = client_for("kalmar_police_coordinator").post(confirm)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Promise.Status.PUBLISHED
    version = draft.published_version
    signatures = {s.requirement_id: s for s in version.signatures.all()}
    assert {s.method for s in signatures.values()} == {Signature.Method.PAPER}
    assert {s.evidence_sha256 for s in signatures.values()} == {hashlib.sha256(SCAN).hexdigest()}
    assert signatures[police.pk].signer_name == "Anna Polis"
    assert signatures[police.pk].signer_title == police.title  # blank → the role's title
    assert signatures[police.pk].signed_on_date == date(2019, 3, 14)
    assert signatures[police.pk].place == "Kalmar"
    assert signatures[police.pk].signer is None
    assert signatures[municipal.pk].signer_name == "Bertil Kommun"
    assert signatures[municipal.pk].signer_title == "Kommunstyrelsens ordförande"
    assert signatures[municipal.pk].signed_on_date is None
    paper = PaperSigning.objects.get(promise=draft)
    assert paper.status == PaperSigning.Status.CONFIRMED
    assert paper.decided_by == everyone["kalmar_police_coordinator"]
    assert draft.transitions.get(kind=PromiseTransition.Kind.PAPER).note == (
        "Originalet finns i diariet."
    )
    assert "Löftet är nu publicerat." in messages_of(response)
    # The public page says how it was signed and offers the scan.
    public = client_for("anonymous").get(draft.get_public_url()).content.decode()
    assert "registrerades i portalen av" in public and "bekräftades av" in public
    scan_url = reverse("public:promise-scan", args=[draft.pk])
    assert scan_url in public
    served = client_for("anonymous").get(scan_url)
    assert served.status_code == 200 and served.content == SCAN
    assert served["Content-Type"] == "application/pdf"


def test_nobody_confirms_their_own_record_or_their_own_side(draft, everyone, client_for):
    client_for("kalmar_coordinator").post(url(draft), paper_data(draft))
    draft.refresh_from_db()
    for role in ("kalmar_coordinator", "kalmar_police_chief", "kalmar_reader"):
        with pytest.raises(PermissionDenied):
            services.promise_confirm_paper_signatures(user=everyone[role], promise=draft)
    draft.refresh_from_db()
    assert draft.status == Promise.Status.AWAITING_PAPER
    assert not Signature.objects.filter(version__promise=draft).exists()
    # The recorder may withdraw it; the draft can be changed again.
    services.promise_reject_paper_signatures(user=everyone["kalmar_coordinator"], promise=draft)
    draft.refresh_from_db()
    assert draft.status == Promise.Status.DRAFT
    assert PaperSigning.objects.get(promise=draft).status == PaperSigning.Status.REJECTED


def test_a_police_coordinator_needs_a_kommun_coordinator_to_confirm(draft, everyone):
    with open_scan() as upload:
        services.promise_record_paper_signatures(
            user=everyone["kalmar_police_coordinator"],
            promise=draft,
            signatures=[
                {"requirement": r, "name": n["name"], "title": n["title"], "date": None}
                for r, n in zip(requirements(draft), PAPER, strict=True)
            ],
            scan=upload,
        )
    draft.refresh_from_db()
    services.promise_confirm_paper_signatures(user=everyone["kalmar_coordinator"], promise=draft)
    draft.refresh_from_db()
    assert draft.status == Promise.Status.PUBLISHED


def open_scan():
    from contextlib import nullcontext

    return nullcontext(scan())


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"", "tom.pdf", "Den skickade filen är tom."),
        (
            b"MZ\x90\x00 ett program",
            "underskrift.pdf",
            "Skanningen måste vara en PDF, PNG eller JPEG.",
        ),
        (b"GIF89a", "bild.gif", "Skanningen måste vara en PDF, PNG eller JPEG."),
        (b"%PDF-" + b"0" * (10 * 1024 * 1024), "stor.pdf", "Filen är för stor."),
    ],
)
def test_a_bad_scan_is_refused_and_nothing_is_saved(client_for, draft, content, name, message):
    data = paper_data(draft, upload=SimpleUploadedFile(name, content))
    response = client_for("kalmar_coordinator").post(url(draft), data)
    assert response.status_code == 200
    assert message in response.text
    assert not PromiseVersion.objects.filter(promise=draft).exists()
    assert not PaperSigning.objects.exists()


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


def test_one_person_cannot_be_recorded_in_two_roles(client_for, draft):
    """Found by an adversarial review: the same name for the police chief and the kommun
    was recorded, confirmed and published as two signatures."""
    rows = [{**PAPER[0], "name": "Anna Andersson"}, {**PAPER[1], "name": " anna  andersson "}]

    response = client_for("kalmar_coordinator").post(url(draft), paper_data(draft, rows))

    assert response.status_code == 200
    assert "Anna Andersson står som undertecknare för två roller." in response.text
    assert not PromiseVersion.objects.filter(promise=draft).exists()
    assert not PaperSigning.objects.filter(promise=draft).exists()


def test_an_earlier_versions_scan_stays_public_after_an_amendment(client_for, draft, everyone):
    """Found by an adversarial review: once an amendment signed on paper was published, the
    first version's scan could no longer be had, though its hash stays in the chain."""
    confirm = reverse("promises:promise-paper-confirm", args=[draft.pk])
    client_for("kalmar_coordinator").post(url(draft), paper_data(draft))
    client_for("kalmar_police_coordinator").post(confirm)
    draft.refresh_from_db()
    services.promise_amend(user=everyone["kalmar_coordinator"], promise=draft, note="Tillägg.")
    services.commitment_create(
        user=everyone["kalmar_coordinator"],
        promise=draft,
        party="police",
        text="Polisen håller öppet hus i Berga.",
    )
    second = b"%PDF-1.7\n% den andra sidan\n%%EOF\n"
    client_for("kalmar_coordinator").post(url(draft), paper_data(draft, upload=scan(second)))
    client_for("kalmar_police_coordinator").post(confirm)
    draft.refresh_from_db()
    assert draft.published_version.number == 2

    anonymous = client_for("anonymous")
    assert anonymous.get(reverse("public:promise-scan", args=[draft.pk])).content == second
    first = anonymous.get(reverse("public:promise-version-scan", args=[draft.pk, 1]))
    assert first.status_code == 200 and first.content == SCAN
    assert anonymous.get(reverse("public:promise-version-scan", args=[draft.pk, 2])).content == (
        second
    )
    assert anonymous.get(
        reverse("public:promise-version-scan", args=[draft.pk, 3])
    ).status_code == (404)
    chain = anonymous.get(reverse("public:open-data:promise-chain", args=[draft.pk])).json()
    evidence = {
        r["version"]: r["evidence_url"] for r in chain["records"] if r["kind"] == "signature"
    }
    assert evidence[1].endswith(reverse("public:promise-version-scan", args=[draft.pk, 1]))
    assert evidence[2].endswith(reverse("public:promise-version-scan", args=[draft.pk, 2]))
