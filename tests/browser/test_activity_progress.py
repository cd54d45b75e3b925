"""Record an activity report on a phone-sized screen and see the progress change."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_report_on_a_phone_moves_the_progress(page, assert_accessible):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "katrineholm-samordnare")
    page.goto("/arbetsyta/aktiviteter/")
    page.get_by_role("link", name="Medborgarlöfte Katrineholms kommun 2020").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aktivitetsplan 2020")
    expect(page.get_by_text("Exempeldata").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Förebyggande hundsök i skolor").click()
    progress = page.locator("#aktivitet-utfall")
    expect(progress).to_contain_text("3 av 4 hundsök")
    assert_accessible(page)

    page.get_by_label("Datum").fill("2020-11-10")
    page.get_by_label(re.compile(r"^\s*Antal\s*\*?\s*$")).fill("1")
    page.get_by_label("Vad gjordes").fill("Hundsök på gymnasieskolan.")
    page.get_by_role("button", name="Spara rapport").click()

    # htmx swaps the section in place: no page load, the new figure is there.
    expect(page.get_by_role("status")).to_contain_text("Rapporten är sparad")
    expect(progress).to_contain_text("4 av 4 hundsök")
    expect(page.get_by_role("heading", name=re.compile("10 november 2020"))).to_be_visible()
    assert page.url.endswith(re.search(r"/arbetsyta/aktiviteter/aktivitet/\d+/", page.url)[0])
    assert_accessible(page)


def test_the_last_tertial_is_approved_and_published(page, assert_accessible):
    login(page, "katrineholm-samordnare")
    page.goto("/arbetsyta/uppfoljningar/")
    assert_accessible(page)
    page.get_by_role("link", name="Tertial 3 2020").click()
    expect(page.get_by_text("inte godkänd ännu")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Godkänn för min part").click()
    # The message shows once on the page; the live region repeats it for screen readers.
    expect(page.locator(".alert", has_text="Du har godkänt uppföljningen")).to_be_visible()
    page.get_by_role("button", name="Publicera").click()
    expect(page.locator(".alert", has_text="Uppföljningen är publicerad")).to_be_visible()
    expect(page.locator(".badge", has_text="Publicerad")).to_be_visible()
    assert_accessible(page)
