import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_login_reaches_mitt_arbete_without_accessibility_violations(page, assert_accessible):
    page.goto("/arbetsyta/")
    assert "/konto/logga-in/" in page.url
    assert_accessible(page)

    login(page, "katrineholm-samordnare")
    assert page.url.endswith("/arbetsyta/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mitt arbete"
    assert page.get_by_role("link", name="Katrineholms kommun", exact=True).is_visible()
    assert_accessible(page)


def test_keyboard_only_login_and_skip_link(page):
    page.goto("/konto/logga-in/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Hoppa till huvudinnehållet" in focused
    page.get_by_label("Användarnamn").focus()
    page.keyboard.type("kalmar-lasare")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-medborgarlofte")
    page.keyboard.press("Enter")
    page.wait_for_url("**/arbetsyta/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mitt arbete"
