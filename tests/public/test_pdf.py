"""The PDF of a signed promise: PDF/UA-1, the signed content and its hash, published only."""

import re
import shutil
import subprocess
import zlib

import pytest

from demo import promises as promises_demo
from promises.models import Promise
from public import pdf
from public.read import promise_page

pytestmark = pytest.mark.django_db


def katrineholm() -> Promise:
    return Promise.objects.get(title=promises_demo.KATRINEHOLM_TITLE)


def pdf_text(content: bytes, tmp_path) -> str | None:
    """The visible text, when poppler's ``pdftotext`` is installed."""
    if shutil.which("pdftotext") is None:
        return None
    path = tmp_path / "lofte.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def pdf_strings(content: bytes) -> bytes:
    """The raw file plus every Flate stream inflated: metadata is searchable in it."""
    parts = [content]
    for match in re.finditer(rb"stream\r?\n", content):
        try:
            parts.append(zlib.decompressobj().decompress(content[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_pdf_of_the_signed_promise(client, demo, tmp_path):
    promise = katrineholm()
    version = promise.published_version
    response = client.get(f"/medborgarloften/{promise.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="medborgarlofte-{promise.pk}-v{version.number}.pdf"'
    )
    assert not response.cookies
    content = response.content
    assert content.startswith(b"%PDF-1.7")

    raw = pdf_strings(content)
    # PDF/UA-1: tagged, with the document language and title shown as the title.
    assert b"/StructTreeRoot" in raw
    assert b"/Lang (sv)" in raw
    assert b"/DisplayDocTitle true" in raw
    assert b"pdfuaid:part" in raw
    # XMP metadata: the title, and the hash in the description.
    title = "Medborgarlöfte Katrineholms kommun 2020"
    assert f'<rdf:li xml:lang="x-default">{title}</rdf:li>'.encode() in raw
    assert f"SHA-256: {version.content_sha256}".encode() in raw
    # The bookmarks follow the headings: the commitments grouped by party.
    for heading in (b"Polisen lovar", b"Katrineholms kommun lovar", b"Tillsammans"):
        assert b"/Title (" + heading in raw
    # System fonts only, embedded.
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+DejaVu", raw)

    text = pdf_text(content, tmp_path)
    if text is not None:
        flat = " ".join(text.split())
        assert version.content_sha256 in flat
        for heading in (
            "Polisen lovar",
            "Katrineholms kommun lovar",
            "Tillsammans lovar vi",
        ):
            assert heading in flat
        assert "Liselotte Jergard" in flat and "Göran Dahlström" in flat
        assert "Undertecknat på papper" in flat


def test_pdf_html_carries_the_content_hash_and_groups(demo):
    promise = katrineholm()
    html = pdf.promise_pdf_html(promise_page(promise.pk))
    assert '<html lang="sv">' in html
    assert "<title>Medborgarlöfte Katrineholms kommun 2020</title>" in html
    assert html.count(promise.published_version.content_sha256) >= 3
    for heading in ("Polisen lovar", "Katrineholms kommun lovar", "Tillsammans lovar vi"):
        assert heading in html
    assert "style=" not in html and "<script" not in html


def test_unpublished_promises_have_no_pdf(client, demo):
    for title in (promises_demo.KALMAR_TITLE, promises_demo.DRAFT_TITLE):
        promise = Promise.objects.get(title=title)
        assert client.get(f"/medborgarloften/{promise.pk}/pdf/").status_code == 404
    assert client.get("/medborgarloften/999999/pdf/").status_code == 404


def test_pdf_is_rendered_once_per_publication(client, demo, monkeypatch):
    promise = katrineholm()
    calls = []
    render = pdf.render_promise_pdf
    monkeypatch.setattr(
        pdf, "render_promise_pdf", lambda p: calls.append(p.promise.id) or render(p)
    )
    first = client.get(f"/medborgarloften/{promise.pk}/pdf/").content
    second = client.get(f"/medborgarloften/{promise.pk}/pdf/").content
    assert first == second
    assert calls == [promise.pk]


def test_fetcher_serves_local_static_files_only(settings):
    fetcher = pdf._fetcher_class()()
    css = fetcher.fetch(f"{settings.SITE_URL}/static/css/pdf.css")
    assert b"@page" in css.read()
    for url in (
        "https://cdn.example.com/font.woff2",
        f"{settings.SITE_URL}/static/../medborgarlofte/settings.py",
        f"{settings.SITE_URL}/admin/",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
