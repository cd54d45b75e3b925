"""Importing an existing promise in a real browser: every format, upload → review → draft.

The partnership and its coordinator are made here (not the demo), so the test
says exactly what it starts from: Katrineholm and its lokalpolisområde, no promise.
Each page is checked with axe-core; the flow needs no JavaScript of its own.
"""

import re

import pytest

from promises.models import Promise
from tests.browser.conftest import login
from tests.importer import documents

pytestmark = pytest.mark.browser

FORMATS = {
    "inklistrad": None,
    "text": ("katrineholm-2020.txt", "text/plain", lambda: documents.seed_text().encode()),
    "html": ("medborgarlofte.html", "text/html", lambda: documents.seed_html().encode()),
    "docx": (
        "Medborgarlöfte 2020.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        documents.seed_docx,
    ),
    "pdf": ("medborgarlofte-2020.pdf", "application/pdf", documents.seed_pdf),
}


@pytest.fixture
def katrineholm_setup(transactional_db):
    from organizations.models import Membership
    from organizations.reference import ensure_reference_data
    from organizations.services import partnership_create
    from tests.factories import PoliceAreaFactory, UserFactory, municipality

    ensure_reference_data()  # a transactional test flushes it afterwards
    katrineholm = municipality("0483")
    lpo = PoliceAreaFactory(name="LPO Katrineholm", slug="lpo-katrineholm-import")
    partnership = partnership_create(
        name="Samverkan Katrineholm", police_area=lpo, municipalities=[katrineholm]
    )
    user = UserFactory(username="import-samordnare")
    Membership.objects.create(
        user=user, organisation=katrineholm, role=Membership.Role.COORDINATOR, title="Strateg"
    )
    return {"partnership": partnership, "katrineholm": katrineholm, "lpo": lpo}


@pytest.fixture
def import_page(browser, live_server, katrineholm_setup):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    yield page
    context.close()


def _open_import(page):
    from tests.factories import PASSWORD

    login(page, "import-samordnare", PASSWORD)
    page.goto("/arbetsyta/loften/")
    page.get_by_role("link", name="Importera ett befintligt dokument").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Importera ett befintligt dokument"


@pytest.mark.parametrize("kind", list(FORMATS))
def test_each_format_from_upload_to_draft(import_page, assert_accessible, katrineholm_setup, kind):
    page = import_page
    _open_import(page)
    assert_accessible(page)

    if FORMATS[kind] is None:
        page.get_by_label("Klistra in texten").fill(documents.seed_text())
    else:
        name, mime, make = FORMATS[kind]
        page.get_by_label("Eller ladda upp dokumentet").set_input_files(
            files=[{"name": name, "mimeType": mime, "buffer": make()}]
        )
    page.get_by_role("button", name="Läs dokumentet").click()
    # htmx posts the form and the server sends the browser on to the review page.
    page.wait_for_url(re.compile(r"/granska/[^/]+/$"))
    page.wait_for_load_state()

    assert page.get_by_role("heading", level=1).inner_text() == "Granska importen"
    assert page.get_by_text("Portalen hittade 12 åtaganden.").is_visible()
    # Each proposal stands beside the line it came from.
    walks = page.locator("#atagande-12")
    assert "vid minst två tillfällen" in walks.locator(".source-quote").inner_text()
    assert walks.get_by_label("Mål, antal").input_value() == "2"
    assert page.get_by_label("Gäller från").input_value() == "2020-01-01"
    assert page.get_by_label("Gäller till").input_value() == "2020-12-31"
    assert not Promise.objects.exists()  # nothing written before the confirmation
    assert_accessible(page)

    # The coordinator corrects one proposal and leaves another out, then confirms.
    page.locator("#atagande-1").get_by_label("Ta med åtagandet i utkastet").uncheck()
    page.locator("#id_lofte-title").fill("Medborgarlöfte Katrineholm 2020")
    page.get_by_role("button", name="Skapa utkastet").click()
    page.wait_for_load_state()

    assert "Utkastet är skapat med 11 åtaganden." in page.locator(".alert-success").inner_text()
    assert page.get_by_role("heading", name="Källdokument").is_visible()
    draft = Promise.objects.get()
    assert draft.status == Promise.Status.DRAFT
    assert draft.title == "Medborgarlöfte Katrineholm 2020"
    assert draft.commitments.count() == 11
    assert draft.source_documents.get().format == {"inklistrad": "text"}.get(kind, kind)
    assert_accessible(page)


def test_a_scanned_pdf_gets_a_clear_message(import_page, assert_accessible):
    page = import_page
    _open_import(page)
    page.get_by_label("Eller ladda upp dokumentet").set_input_files(
        files=[
            {
                "name": "skannad.pdf",
                "mimeType": "application/pdf",
                "buffer": documents.scanned_pdf(),
            }
        ]
    )
    page.get_by_role("button", name="Läs dokumentet").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert").filter(has_text="Dokumentet kunde inte läsas")
    assert "PDF:en saknar text" in summary.inner_text()
    # The summary links to the field it is about (WCAG 3.3.1).
    assert summary.get_by_role("link").first.get_attribute("href") == "#id_file"
    assert not Promise.objects.exists()
    assert_accessible(page)


def test_the_review_works_without_javascript(browser, live_server, katrineholm_setup):
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", java_script_enabled=False
    )
    page = context.new_page()
    try:
        _open_import(page)
        page.get_by_label("Klistra in texten").fill(documents.seed_text())
        page.get_by_role("button", name="Läs dokumentet").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "Granska importen"
        page.get_by_role("button", name="Skapa utkastet").click()
        page.wait_for_load_state()
        assert Promise.objects.get().commitments.count() == 12
    finally:
        context.close()
