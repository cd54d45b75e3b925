"""Every cache is keyed by language (issue 16): an English visit followed by a Swedish one
shows only Swedish, on the cached pages and in the cached PDF."""

import io
import re

import pytest
from django.test import RequestFactory
from django.utils import translation
from pypdf import PdfReader

from demo import promises as promises_demo
from promises.models import Promise
from public import caching

pytestmark = pytest.mark.django_db

#: Interface strings of the promise page and the PDF, in Swedish.
PAGE_STRINGS = ["Det här lovar vi", "Så långt har det gått", "Undertecknat av"]
PDF_STRINGS = ["Det här lovar vi", "Gäller", "Uppföljning"]


def english(text: str) -> str:
    with translation.override("en"):
        translated = translation.gettext(text)
    assert translated != text, f"ingen engelsk översättning av {text!r}"
    return translated


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


@pytest.fixture
def promise(demo) -> Promise:
    return Promise.objects.get(title=promises_demo.KATRINEHOLM_TITLE)


@pytest.mark.parametrize("accept", ["en", "sv"])
def test_an_english_visit_then_a_swedish_one_shows_only_swedish_pages(client, promise, accept):
    paths = ["/", "/kommuner/katrineholm/", f"/medborgarloften/{promise.pk}/"]
    for path in paths:
        english_body = client.get(f"/en{path}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert '<html lang="en">' in english_body
    # The same browser (cookie, Accept-Language) at the plain address: Swedish, from the cache.
    client.cookies["django_language"] = "en"
    for path in paths:
        body = client.get(path, HTTP_ACCEPT_LANGUAGE=accept).content.decode()
        assert '<html lang="sv">' in body, path
        assert "1 januari" in body or path != paths[-1]
        assert "January" not in body, path
    body = client.get(paths[-1], HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    for text in PAGE_STRINGS:
        assert text in body
        assert english(text) not in body
    # And back: the English page is still English.
    english_body = client.get(f"/en{paths[-1]}").content.decode()
    for text in PAGE_STRINGS:
        assert english(text) in english_body


def test_the_page_cache_key_names_the_language():
    request = RequestFactory().get("/kommuner/")
    with translation.override("en"):
        english_key = caching._cache_key(request, "")
    with translation.override("sv"):
        swedish_key = caching._cache_key(request, "")
    assert english_key != swedish_key


def test_an_english_pdf_then_a_swedish_one_shows_only_swedish(client, promise):
    english_pdf = client.get(f"/en/medborgarloften/{promise.pk}/pdf/")
    assert english_pdf.status_code == 200
    english_text = pdf_text(english_pdf.content)
    assert "1 January 2020" in english_text
    for text in PDF_STRINGS:
        assert english(text) in english_text
    client.cookies["django_language"] = "en"
    swedish_pdf = client.get(f"/medborgarloften/{promise.pk}/pdf/", HTTP_ACCEPT_LANGUAGE="en")
    assert swedish_pdf.status_code == 200
    swedish_text = pdf_text(swedish_pdf.content)
    assert "1 januari 2020" in swedish_text
    assert "January" not in swedish_text
    for text in PDF_STRINGS:
        assert text in swedish_text
        assert english(text) not in swedish_text
    # Both were cached: asking again gives the same bytes, each in its own language.
    assert client.get(f"/medborgarloften/{promise.pk}/pdf/").content == swedish_pdf.content
    assert client.get(f"/en/medborgarloften/{promise.pk}/pdf/").content == english_pdf.content
