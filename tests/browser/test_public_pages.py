"""Every public page in a real browser: axe-core finds nothing, and the keyboard reaches it all."""

import pytest

from demo.promises import KATRINEHOLM_TITLE
from promises.models import Promise

pytestmark = pytest.mark.browser


@pytest.fixture
def katrineholm_url(page):
    return Promise.objects.get(title=KATRINEHOLM_TITLE).get_public_url()


def test_every_public_page_passes_axe(page, assert_accessible, katrineholm_url):
    for url in [
        "/",
        "/kommuner/",
        "/kommuner/katrineholm/",
        "/kommuner/kalmar/",
        katrineholm_url,
        "/sok/?q=narkotika",
        "/sok/?q=l%C3%B6fte&kommun=0483",
        "/sok/?q=finnsinte",
        "/tillganglighet/",
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)


def test_open_data_page_passes_axe(page, assert_accessible):
    response = page.goto("/oppna-data/")
    if response.status == 404:
        pytest.skip("/oppna-data/ is not wired yet")
    assert_accessible(page)


def test_search_by_keyboard_only(page, katrineholm_url):
    page.goto("/")
    page.get_by_role("searchbox", name="Sök bland löften och uppföljningar").focus()
    page.keyboard.type("hundsök")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sok/?q=*")
    assert "träff" in page.get_by_role("heading", level=2).first.inner_text()
    link = page.get_by_role("link", name="Polisen lovar: " + KATRINEHOLM_TITLE)
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/medborgarloften/**")
    assert katrineholm_url in page.url
    assert page.get_by_role("heading", level=1).inner_text() == KATRINEHOLM_TITLE


def test_focus_is_visible_on_links(page):
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
