import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_paper_signatures_page_is_accessible(page, assert_accessible):
    login(page, "katrineholm-samordnare")
    page.goto("/arbetsyta/loften/")
    page.get_by_role("link", name="Medborgarlöfte Katrineholms kommun 2021").click()
    page.get_by_role("link", name="Registrera pappersunderskrifter").click()
    page.wait_for_load_state()

    assert page.url.endswith("/pappersunderskrifter/")
    assert page.get_by_role("heading", level=1).inner_text() == "Registrera pappersunderskrifter"
    assert page.get_by_role("button", name="Registrera och skicka för bekräftelse").is_visible()
    assert page.get_by_label("Skanning eller foto av den undertecknade sidan").is_visible()
    assert_accessible(page)
