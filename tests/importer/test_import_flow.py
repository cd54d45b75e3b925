"""The workspace import through real views: upload or paste → review → draft.

Nothing is written to the promise tables before "Skapa utkastet"; the upload
waits in the private storage, never under MEDIA_ROOT; the services check
permission themselves; hostile files get one clear Swedish message.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from importer.models import SourceDocument
from importer.services import SourceFile, promise_import
from promises.models import Commitment, Promise, PromiseTransition, Signature
from tests.importer import documents

pytestmark = pytest.mark.django_db

KATRINEHOLM_PARTIES = (
    ["police"] * 4 + ["municipality"] * 4 + ["joint"] * 4
)  # the seed's three groups, in order


def start_url(partnership):
    return reverse("importer:import-start", kwargs={"partnership_pk": partnership.pk})


def counts():
    return (
        Promise.objects.count(),
        Commitment.objects.count(),
        SourceDocument.objects.count(),
        PromiseTransition.objects.count(),
    )


def private_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def form_data(response) -> dict:
    """What a browser would post back from the review page, untouched."""
    data = {}
    forms = [response.context["form"], *response.context["formset"].forms]
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, (list, tuple)):
                data[field.html_name] = [str(v) for v in value]
            elif isinstance(value, date):
                data[field.html_name] = value.isoformat()
            else:
                data[field.html_name] = str(value)
    management = response.context["formset"].management_form
    for field in management:
        data[field.html_name] = field.value()
    data["action"] = "confirm"
    return data


def upload(client, partnership, *, text=None, name=None, content=None):
    post = {"text": text or ""}
    if content is not None:
        post["file"] = SimpleUploadedFile(name, content)
    return client.post(start_url(partnership), post)


def review(client, partnership, **kwargs):
    response = upload(client, partnership, **kwargs)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return response["Location"], page


# --- Reaching it, and who may ---------------------------------------------------


def test_the_promise_list_links_to_the_import(
    client, katrineholm_coordinator, katrineholm_partnership
):
    client.force_login(katrineholm_coordinator)
    page = client.get(reverse("promises:promise-list")).content.decode()
    assert "Importera ett befintligt dokument" in page
    assert start_url(katrineholm_partnership) in page


def test_a_reader_is_refused_and_an_outsider_sees_nothing(
    client, kalmar_reader, kalmar_partnership, katrineholm_partnership, settings
):
    client.force_login(kalmar_reader)
    assert client.get(start_url(kalmar_partnership)).status_code == 403
    assert upload(client, kalmar_partnership, text=documents.seed_text()).status_code == 403
    assert client.get(start_url(katrineholm_partnership)).status_code == 404
    assert private_files(settings) == []  # nothing stored for either
    assert counts() == (0, 0, 0, 0)


def test_anonymous_is_sent_to_log_in(client, katrineholm_partnership):
    response = client.get(start_url(katrineholm_partnership))
    assert response.status_code == 302
    assert "/konto/logga-in/" in response["Location"]


def test_the_service_checks_permission_itself(kalmar_reader, kalmar_partnership):
    with pytest.raises(PermissionDenied):
        promise_import(
            user=kalmar_reader,
            partnership=kalmar_partnership,
            promise={
                "title": "Medborgarlöfte 2020",
                "valid_from_date": date(2020, 1, 1),
                "valid_to_date": date(2020, 12, 31),
            },
            commitments=[],
            source=SourceFile(data="Medborgarlöfte 2020".encode(), filename="", format="text"),
        )
    assert counts() == (0, 0, 0, 0)


def test_someone_elses_upload_cannot_be_opened(
    client, katrineholm_coordinator, katrineholm_partnership
):
    client.force_login(katrineholm_coordinator)
    location, _page = review(client, katrineholm_partnership, text=documents.seed_text())
    other = client_class_login(katrineholm_coordinator)
    # The same person in another session (another browser): the token is not theirs.
    response = other.get(location)
    assert response.status_code == 302
    assert response["Location"] == start_url(katrineholm_partnership)


def client_class_login(user):
    from django.test import Client

    other = Client()
    other.force_login(user)
    return other


# --- The Katrineholm seed, pasted: the "Must show" -----------------------------


def test_pasting_the_katrineholm_seed_yields_the_draft_after_one_review_page(
    client, katrineholm_coordinator, katrineholm_partnership, katrineholm, lpo_katrineholm, settings
):
    client.force_login(katrineholm_coordinator)
    location, page = review(client, katrineholm_partnership, text=documents.seed_text())
    html = page.content.decode()
    assert "Granska importen" in html
    assert "Portalen hittade 12 åtaganden" in html
    # Each proposal beside its source line, and nothing written yet.
    assert "vid minst två tillfällen" in html
    assert counts() == (0, 0, 0, 0)
    assert media_files(settings) == []
    assert len(private_files(settings)) == 1  # the upload, waiting in private storage

    response = client.post(location, form_data(page))
    assert response.status_code == 302
    draft = Promise.objects.get()
    assert response["Location"] == draft.get_absolute_url()
    assert draft.status == Promise.Status.DRAFT
    assert draft.published_version_id is None
    assert not Signature.objects.exists()
    assert draft.title == "Medborgarlöfte Katrineholms kommun 2020"
    assert (draft.valid_from_date, draft.valid_to_date) == (date(2020, 1, 1), date(2020, 12, 31))
    commitments = list(draft.commitments.order_by("order").prefetch_related("owners"))
    assert len(commitments) == 12
    owners = [{o.pk for o in c.owners.all()} for c in commitments]
    expected = {
        "police": {lpo_katrineholm.pk},
        "municipality": {katrineholm.pk},
        "joint": {lpo_katrineholm.pk, katrineholm.pk},
    }
    assert owners == [expected[party] for party in KATRINEHOLM_PARTIES]
    walks = commitments[11]
    assert "trygghetsvandringar" in walks.text
    assert (walks.target_quantity, walks.target_unit) == (2, "tillfällen")
    assert [c.target_quantity for c in commitments[:11]] == [None] * 11

    # The pasted text is kept with the draft, with its hash, and the upload is gone.
    source = SourceDocument.objects.get()
    text = documents.seed_text().encode()
    assert source.promise == draft and source.pasted
    assert source.sha256 == hashlib.sha256(text).hexdigest()
    assert source.size == len(text) and source.format == "text"
    assert source.file.read() == text
    assert [p.name for p in private_files(settings)] == [f"{source.sha256}.txt"]
    assert media_files(settings) == []
    # One review page: the same link now leads back to the start.
    assert client.get(location)["Location"] == start_url(katrineholm_partnership)


def test_the_coordinator_corrects_rejects_and_adds_before_confirming(
    client, katrineholm_coordinator, katrineholm_partnership, katrineholm
):
    client.force_login(katrineholm_coordinator)
    location, page = review(client, katrineholm_partnership, text=documents.seed_text())
    data = form_data(page)
    data["lofte-title"] = "Medborgarlöfte Katrineholm 2020 (importerat)"
    data["lofte-extended_to_date"] = "2021-06-30"
    del data["atagande-0-include"]  # rejected
    data["atagande-1-owners"] = [str(katrineholm.pk)]  # owner corrected
    data["atagande-2-target_quantity"] = "10"
    data["atagande-2-target_unit"] = "insatser"
    data["atagande-2-target_period"] = Commitment.Period.YEAR
    data["atagande-3-condition"] = "när förutsättningar finns"
    data["atagande-12-text"] = "Kommunen ordnar en trygghetsvandring i Oxhagen."  # added
    data["atagande-12-owners"] = [str(katrineholm.pk)]
    response = client.post(location, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = Promise.objects.get()
    assert draft.title == "Medborgarlöfte Katrineholm 2020 (importerat)"
    assert draft.extended_to_date == date(2021, 6, 30)
    commitments = list(draft.commitments.order_by("order"))
    assert len(commitments) == 12  # 12 − 1 rejected + 1 added
    assert commitments[0].text.startswith("Polisen kommer att utföra hundsök")
    assert list(commitments[0].owners.all()) == [katrineholm]
    assert (commitments[1].target_quantity, commitments[1].target_period) == (10, "ar")
    assert commitments[2].condition == "när förutsättningar finns"
    assert commitments[-1].text == "Kommunen ordnar en trygghetsvandring i Oxhagen."


def test_invalid_review_saves_nothing_and_links_each_error(
    client, katrineholm_coordinator, katrineholm_partnership
):
    client.force_login(katrineholm_coordinator)
    location, page = review(client, katrineholm_partnership, text=documents.seed_text())
    data = form_data(page)
    data["lofte-valid_to_date"] = "2019-01-01"  # before it starts
    data["atagande-0-owners"] = []
    data["atagande-0-text"] = ""
    data["atagande-1-target_quantity"] = "5"
    data["atagande-1-target_unit"] = ""
    response = client.post(location, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Utkastet kunde inte skapas. Rätta följande:" in html
    assert "Perioden kan inte sluta innan den börjar." in html
    assert 'href="#id_atagande-0-owners_0"' in html
    assert "Åtagande 1 – Löftet: Skriv vad som lovas." in html
    assert "Ett mål behöver en enhet" in html
    assert counts() == (0, 0, 0, 0)
    # Still reviewable: the upload waits.
    assert client.get(location).status_code == 200


def test_a_refusal_from_the_services_undoes_everything_including_the_file(
    client, katrineholm_coordinator, katrineholm_partnership, settings
):
    client.force_login(katrineholm_coordinator)
    location, page = review(client, katrineholm_partnership, text=documents.seed_text())
    data = form_data(page)
    # A period outside the promise's, as the promise services refuse it for a hand-typed one.
    data["lofte-valid_from_date"] = "1999-01-01"
    response = client.post(location, data)
    assert response.status_code == 200
    assert counts() == (0, 0, 0, 0)
    assert len(private_files(settings)) == 1  # only the waiting upload


def test_a_failure_after_the_file_is_written_removes_it(
    katrineholm_coordinator, katrineholm_partnership, monkeypatch, settings
):
    from importer import services

    def refuse(self, *args, **kwargs):
        raise ValidationError("refused")

    monkeypatch.setattr(services.SourceDocument, "full_clean", refuse)
    with pytest.raises(ValidationError):
        promise_import(
            user=katrineholm_coordinator,
            partnership=katrineholm_partnership,
            promise={
                "title": "Medborgarlöfte 2020",
                "valid_from_date": date(2020, 1, 1),
                "valid_to_date": date(2020, 12, 31),
            },
            commitments=[],
            source=SourceFile(data="Medborgarlöfte 2020".encode(), filename="", format="text"),
        )
    assert counts() == (0, 0, 0, 0)
    assert private_files(settings) == []


def test_an_unreadable_store_gives_a_swedish_message(
    katrineholm_coordinator, katrineholm_partnership, monkeypatch
):
    from importer import services

    def fail(self, *args, **kwargs):
        raise OSError("read-only")

    monkeypatch.setattr(services.SourceDocument.file.field.attr_class, "save", fail)
    with pytest.raises(ValidationError) as error:
        promise_import(
            user=katrineholm_coordinator,
            partnership=katrineholm_partnership,
            promise={
                "title": "Medborgarlöfte 2020",
                "valid_from_date": date(2020, 1, 1),
                "valid_to_date": date(2020, 12, 31),
            },
            commitments=[],
            source=SourceFile(data="Medborgarlöfte 2020".encode(), filename="", format="text"),
        )
    assert "Källdokumentet kunde inte sparas" in error.value.messages[0]
    assert counts() == (0, 0, 0, 0)


def test_cancel_removes_the_upload_and_saves_nothing(
    client, katrineholm_coordinator, katrineholm_partnership, settings
):
    client.force_login(katrineholm_coordinator)
    location, _page = review(client, katrineholm_partnership, text=documents.seed_text())
    response = client.post(location, {"action": "cancel"})
    assert response.status_code == 302
    assert response["Location"] == reverse("promises:promise-list")
    assert private_files(settings) == []
    assert counts() == (0, 0, 0, 0)


def test_expired_uploads_are_removed(
    client, katrineholm_coordinator, katrineholm_partnership, settings
):
    client.force_login(katrineholm_coordinator)
    location, _page = review(client, katrineholm_partnership, text=documents.seed_text())
    out = io.StringIO()
    call_command("clean_import_uploads", "--max-age-hours", "0", stdout=out)
    assert "1 väntande uppladdningar borttagna" in out.getvalue()
    assert private_files(settings) == []
    response = client.get(location)
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "Dokumentet finns inte längre kvar för granskning" in follow


def test_a_tampered_upload_is_not_used(
    client, katrineholm_coordinator, katrineholm_partnership, settings
):
    client.force_login(katrineholm_coordinator)
    location, _page = review(client, katrineholm_partnership, text=documents.seed_text())
    [waiting] = private_files(settings)
    waiting.write_bytes("Medborgarlöfte 2020\n\nPolisen lovar att:\n\n- inget\n".encode())
    assert client.get(location)["Location"] == start_url(katrineholm_partnership)


def test_review_page_queries_do_not_grow_with_the_commitments(
    client, katrineholm_coordinator, katrineholm_partnership, django_assert_max_num_queries
):
    client.force_login(katrineholm_coordinator)
    location, _page = review(client, katrineholm_partnership, text=documents.seed_text())
    with django_assert_max_num_queries(25):
        assert client.get(location).status_code == 200


# --- Every format, end to end -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("lofte.txt", lambda: documents.seed_text().encode(), "text"),
        ("lofte.html", lambda: documents.seed_html().encode(), "html"),
        ("lofte.docx", documents.seed_docx, "docx"),
        ("lofte.pdf", documents.seed_pdf, "pdf"),
    ],
)
def test_each_format_end_to_end(
    client, katrineholm_coordinator, katrineholm_partnership, settings, name, make, kind
):
    client.force_login(katrineholm_coordinator)
    content = make()
    location, page = review(client, katrineholm_partnership, name=name, content=content)
    assert "Portalen hittade 12 åtaganden" in page.content.decode()
    assert counts() == (0, 0, 0, 0)
    assert client.post(location, form_data(page)).status_code == 302
    draft = Promise.objects.get()
    assert draft.commitments.count() == 12
    source = draft.source_documents.get()
    assert (source.format, source.original_filename) == (kind, name)
    assert source.sha256 == hashlib.sha256(content).hexdigest()
    assert media_files(settings) == []

    # The source, for members only, always as a download.
    download = reverse("importer:source-document-download", kwargs={"pk": source.pk})
    assert download in client.get(draft.get_absolute_url()).content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_source_document_is_hidden_from_outsiders_and_the_public(
    client, katrineholm_coordinator, katrineholm_partnership, kalmar_coordinator
):
    client.force_login(katrineholm_coordinator)
    location, page = review(client, katrineholm_partnership, text=documents.seed_text())
    client.post(location, form_data(page))
    download = reverse(
        "importer:source-document-download", kwargs={"pk": SourceDocument.objects.get().pk}
    )
    client.force_login(kalmar_coordinator)
    assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302  # to the login page
    assert not download.startswith("/media/")


# --- Hostile and wrong files: one clear message, nothing kept -------------------------------


def _docx_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("skannad.pdf", documents.scanned_pdf, "PDF:en saknar text"),
        ("trasig.pdf", lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntrasig", "PDF"),
        ("bomb.docx", _docx_bomb, "zip-bomb"),
        ("bild.pdf", lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "bild"),
        ("program.docx", lambda: b"\x7fELF\x02\x01\x01\0\0\0", "Filtypen stöds inte"),
        ("tom.txt", lambda: b"", "Den skickade filen är tom."),
    ],
)
def test_hostile_files_get_a_clear_message(
    client, katrineholm_coordinator, katrineholm_partnership, settings, name, make, message
):
    client.force_login(katrineholm_coordinator)
    response = upload(client, katrineholm_partnership, name=name, content=make())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dokumentet kunde inte läsas. Rätta följande:" in html
    assert message in html
    assert private_files(settings) == [] and counts() == (0, 0, 0, 0)


def test_a_huge_file_is_refused_while_it_arrives(
    client, katrineholm_coordinator, katrineholm_partnership, settings
):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    client.force_login(katrineholm_coordinator)
    response = upload(
        client, katrineholm_partnership, name="stor.txt", content=b"a" * (3 * 1024 * 1024)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Filen är för stor. Största tillåtna storlek är 1 MB." in html
    assert private_files(settings) == [] and counts() == (0, 0, 0, 0)


def test_paste_and_file_together_or_neither(
    client, katrineholm_coordinator, katrineholm_partnership
):
    client.force_login(katrineholm_coordinator)
    both = upload(
        client, katrineholm_partnership, text="Medborgarlöfte", name="a.txt", content=b"x"
    )
    assert "Klistra in texten eller ladda upp en fil, inte båda." in both.content.decode()
    neither = upload(client, katrineholm_partnership, text="   ")
    assert "Klistra in texten eller välj en fil att ladda upp." in neither.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_the_csrf_check_still_applies(katrineholm_coordinator, katrineholm_partnership):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(katrineholm_coordinator)
    response = strict.post(start_url(katrineholm_partnership), {"text": documents.seed_text()})
    assert response.status_code == 403
    assert counts() == (0, 0, 0, 0)


def test_a_document_without_commitments_can_still_be_typed_in(
    client, katrineholm_coordinator, katrineholm_partnership, katrineholm
):
    client.force_login(katrineholm_coordinator)
    location, page = review(
        client, katrineholm_partnership, text="Trygghet i Katrineholm\n\nEn text utan löften."
    )
    html = page.content.decode()
    assert "Inga åtaganden hittades i dokumentet." in html
    assert "Ingen period hittades" in html
    data = form_data(page)
    data.update(
        {
            "lofte-title": "Medborgarlöfte 2021",
            "lofte-valid_from_date": "2021-01-01",
            "lofte-valid_to_date": "2021-12-31",
            "atagande-0-text": "Kommunen ordnar trygghetsvandringar.",
            "atagande-0-owners": [str(katrineholm.pk)],
        }
    )
    assert client.post(location, data).status_code == 302
    assert Promise.objects.get().commitments.count() == 1


def test_htmx_redraws_the_form_and_sends_the_valid_upload_on_to_its_review(
    client, katrineholm_coordinator, katrineholm_partnership
):
    client.force_login(katrineholm_coordinator)
    url = start_url(katrineholm_partnership)
    refused = client.post(url, {"text": ""}, headers={"HX-Request": "true"})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert html.lstrip().startswith("<form") and "<html" not in html
    assert "error-summary" in html and 'href="#id_text"' in html
    accepted = client.post(url, {"text": documents.seed_text()}, headers={"HX-Request": "true"})
    assert accepted.status_code == 200
    assert "/granska/" in accepted["HX-Redirect"]
    assert client.get(accepted["HX-Redirect"]).status_code == 200
    assert counts() == (0, 0, 0, 0)


def test_a_repeat_import_and_another_kommuns_document_are_pointed_out(
    client, katrineholm_coordinator, katrineholm_partnership
):
    """Found by a tester entering real promises: the same document imported twice made two
    identical drafts, and Laxå's text in another partnership gave its promises to that
    partnership's kommun without a word."""
    client.force_login(katrineholm_coordinator)
    location, page = review(client, katrineholm_partnership, text=documents.seed_text())
    assert "Samverkan kan redan ha det här löftet" not in page.content.decode()
    client.post(location, form_data(page))
    draft = Promise.objects.get()
    _location, again = review(client, katrineholm_partnership, text=documents.seed_text())
    html = again.content.decode()
    assert "Samverkan kan redan ha det här löftet" in html
    assert draft.get_absolute_url() in html and "gjort av exakt samma dokument" in html

    laxa = (
        "Medborgarlöfte Laxå 2018–2020\n\n"
        "Laxå kommun lovar att:\n\n- genomföra trygghetsvandringar i Laxå centrum varje höst\n"
    )
    _location, other = review(client, katrineholm_partnership, text=laxa)
    html = other.content.decode()
    assert "Dokumentet nämner Laxå kommun men inte Katrineholms kommun" in html
    assert "Laxå kommun är inte part i samverkan." in html
    assert Promise.objects.count() == 1
