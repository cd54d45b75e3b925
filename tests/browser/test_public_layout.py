"""Every public page at 1280 and at 320 px: nothing scrolls sideways, axe finds nothing,
and the promise page answers on its first screen (WCAG 1.4.10 reflow, issue 15)."""

import pytest

from demo.promises import KATRINEHOLM_TITLE

pytestmark = pytest.mark.browser

WIDTHS = ((1280, 800), (320, 640))


def public_paths(promise_path: str) -> list[str]:
    return [
        "/",
        "/kommuner/",
        "/kommuner/?lan=04",
        "/kommuner/katrineholm/",
        promise_path,
        "/sverige/",
        "/sok/?q=narkotika",
        "/om/",
        "/kontakt/",
        "/personuppgifter/",
        "/tillganglighet/",
        "/oppna-data/",
        "/prenumerera/",
        "/en/",
        "/en" + promise_path,
        "/en/sverige/",
    ]


@pytest.fixture
def promise_path(demo):
    from promises.models import Promise

    return Promise.objects.get(title=KATRINEHOLM_TITLE).get_public_url()


def test_every_public_page_reflows_at_320_and_passes_axe_at_both_widths(
    page, promise_path, assert_accessible
):
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        for path in public_paths(promise_path):
            response = page.goto(path)
            assert response.status == 200, path
            overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
            assert_accessible(page)


def test_the_promise_page_answers_on_its_first_screen_at_1280(page, promise_path):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(promise_path)
    summary = page.locator(".outcome-summary").bounding_box()
    first = page.locator(".commitment").first
    status = first.locator(".status").bounding_box()
    assert summary["y"] + summary["height"] <= 800
    assert status["y"] + status["height"] <= 800, "the first commitment's status is below the fold"
    assert first.locator(".commitment-text").inner_text().startswith("Polisen")


def test_the_map_is_a_set_of_named_links_without_javascript(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    page.goto("/sverige/")
    links = page.locator("svg a[href^='/kommuner/']")
    assert links.count() >= 290
    assert page.get_by_role("link", name="Katrineholms kommun").first.is_visible()
    page.get_by_role("link", name="Katrineholms kommun").first.click()
    assert page.url.endswith("/kommuner/katrineholm/")
    # Finding your kommun is one step without JavaScript: the name goes straight there.
    page.goto("/")
    page.get_by_role("searchbox", name="Hitta din kommun").fill("Kalmar")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/kommuner/kalmar/")
    context.close()
