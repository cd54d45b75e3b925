"""Focus and announcements after htmx actions, contrast of focus rings and field borders,
and a report that is removed only after a confirmation — in Chromium.

Where the focus is: ``document.activeElement``. What a screen reader hears: every
text the page's one live region (``#live-region``) takes, recorded by a
MutationObserver, and no other live region holding the same message.
"""

import re

import pytest
from playwright.sync_api import expect

from activities.models import ActivityReport
from promises.models import Commitment
from tests.activities.factories import (
    ActivityFactory,
    ActivityPlanFactory,
    ActivityReportFactory,
    CommitmentFactory,
    PromiseFactory,
)
from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

RECORD_ANNOUNCEMENTS = """() => {
  window.heard = [];
  const live = document.getElementById('live-region');
  new MutationObserver(() => {
    const text = live.textContent.trim();
    if (text) { window.heard.push(text); }
  }).observe(live, {childList: true, characterData: true, subtree: true});
}"""

LIVE_REGIONS_SAYING = """(text) => [...document.querySelectorAll(
  '[role=status], [role=alert], [aria-live]')].filter(
  (el) => el.textContent.includes(text)).map((el) => el.id || el.className)"""


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def draft(kalmar_partnership):
    promise = PromiseFactory(partnership=kalmar_partnership, title="Trygg i Kalmar")
    first = CommitmentFactory(promise=promise, text="Polisen patrullerar i centrum.", order=1)
    second = CommitmentFactory(promise=promise, text="Vi ordnar trygghetsvandringar.", order=2)
    return promise, first, second


def heard(page):
    return page.evaluate("window.heard")


def active(page):
    return page.evaluate("document.activeElement.id")


def test_focus_and_one_announcement_after_each_htmx_action(
    page, kalmar_coordinator, draft, assert_accessible
):
    promise, first, second = draft
    login(page, kalmar_coordinator.username, PASSWORD)
    page.goto(promise.get_absolute_url())
    page.evaluate(RECORD_ANNOUNCEMENTS)
    item = page.locator(f"#atagande-{first.pk}")

    # Edit with the keyboard: the form comes in and takes the focus on its first field.
    item.get_by_role("link", name="Ändra").focus()
    page.keyboard.press("Enter")
    form = page.locator(f"#atagande-{first.pk} form[data-focus-first]")
    form.wait_for()
    # The focus moves when htmx settles the swap, a moment after the form is in.
    page.wait_for_function(
        f"document.getElementById('atagande-{first.pk}').contains(document.activeElement)"
    )
    form.get_by_label("Löftet").fill("Polisen patrullerar i centrum varje fredag.")
    form.get_by_role("button", name="Spara åtagandet").click()
    expect(item).to_contain_text("varje fredag")
    # Focus on the saved commitment, not <body>; the message heard once, from one region.
    expect(page.locator("#live-region")).to_have_text("Åtagandet är sparat.")
    assert active(page) == f"atagande-{first.pk}"
    assert heard(page) == ["Åtagandet är sparat."]
    assert page.evaluate(LIVE_REGIONS_SAYING, "Åtagandet är sparat.") == ["live-region"]
    assert_accessible(page)

    # Moving down: the focus stays on a move button of the same commitment.
    item.get_by_role("button", name="Flytta ner").click()
    expect(page.locator("#live-region")).to_have_text("Åtagandet är flyttat ner.")
    assert re.fullmatch(rf"flytta-(upp|ner)-{first.pk}", active(page))
    assert heard(page) == ["Åtagandet är sparat.", "Åtagandet är flyttat ner."]
    assert list(promise.commitments.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]

    # A commitment with an error: the error summary takes the focus, with links to fields.
    add = page.locator("#nytt-atagande")
    add.get_by_role("button", name="Lägg till åtagandet").click()
    summary = page.locator("#nytt-atagande .error-summary")
    expect(summary).to_be_focused()
    assert summary.locator("a[href^='#']").count() >= 1
    assert_accessible(page)


def test_move_and_delete_keep_working_after_a_save_on_the_edit_page(
    page, kalmar_coordinator, draft
):
    promise, first, second = draft
    login(page, kalmar_coordinator.username, PASSWORD)
    page.goto(f"{promise.get_absolute_url()}ataganden/{first.pk}/andra/")
    page.get_by_label("Löftet").fill("Polisen patrullerar i centrum på kvällarna.")
    page.get_by_role("button", name="Spara åtagandet").click()
    item = page.locator(f"#atagande-{first.pk}")
    expect(item).to_contain_text("på kvällarna")
    # htmx moves the focus when the swap settles, a moment after the new text is in.
    expect(item).to_be_focused()
    # There is no list on this page to redraw: the buttons are plain requests.
    assert item.locator("[hx-target='#ataganden']").count() == 0
    item.get_by_role("button", name="Flytta ner").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Åtagandet är flyttat ner.")
    assert list(promise.commitments.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    assert not page.console_errors


def _contrast(page, selector, prop):
    """The contrast of ``prop`` of ``selector`` against the nearest opaque background."""
    return page.evaluate(
        """([selector, prop]) => {
          const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
          const lum = ([r, g, b]) => {
            const f = (v) => {
              v /= 255;
              return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
            };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
          };
          const el = document.querySelector(selector);
          const fg = rgb(getComputedStyle(el)[prop]);
          let node = el.parentElement, bg = [255, 255, 255];
          while (node) {
            const c = rgb(getComputedStyle(node).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3] === 1)) { bg = c.slice(0, 3); break; }
            node = node.parentElement;
          }
          const [a, b] = [lum(fg.slice(0, 3)), lum(bg)].sort((x, y) => y - x);
          return (a + 0.05) / (b + 0.05);
        }""",
        [selector, prop],
    )


def test_focus_rings_and_field_borders_reach_3_to_1(page, kalmar_coordinator, draft):
    promise, _first, _second = draft
    login(page, kalmar_coordinator.username, PASSWORD)
    page.goto(promise.get_absolute_url())
    form = "#nytt-atagande"
    assert _contrast(page, f"{form} textarea.form-control", "borderTopColor") >= 3
    assert _contrast(page, f"{form} input.form-check-input", "borderTopColor") >= 3

    # Keyboard focus on a Bootstrap button, a field and a link: the site's ring, not
    # Bootstrap's faint shadow.
    for selector in (
        f"{form} button.btn-primary",
        f"{form} textarea.form-control",
        f"{form} input.form-check-input",
        "nav a.nav-link",
    ):
        page.locator(selector).first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
        style = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
        )
        assert style[0] == "solid" and style[1] >= 3, (selector, style)
        assert _contrast(page, ":focus-visible", "outlineColor") >= 3, selector


def test_removing_a_report_asks_first(page, kalmar_coordinator, kalmar_partnership):
    promise = PromiseFactory(partnership=kalmar_partnership, published=True)
    activity = ActivityFactory(plan=ActivityPlanFactory(promise=promise, year=2020))
    report = ActivityReportFactory(activity=activity, description="Trygghetsvandring i Oxhagen.")
    assert Commitment.objects.filter(promise=promise).exists()
    login(page, kalmar_coordinator.username, PASSWORD)
    page.goto(activity.get_absolute_url())
    confirm = page.get_by_role("button", name="Ja, ta bort rapporten")
    assert confirm.is_hidden()  # one stray click cannot remove it
    page.get_by_text("Ta bort rapporten …").click()
    expect(confirm).to_be_visible()
    assert "Det går inte att ångra" in page.locator(".report-delete").inner_text()
    assert ActivityReport.objects.filter(pk=report.pk).exists()
    confirm.click()
    page.wait_for_load_state()
    assert not ActivityReport.objects.filter(pk=report.pk).exists()


def test_keyboard_journey_on_to_submit_and_sign(
    page, kalmar_coordinator, kalmar_police_chief, kalmar_municipal_signatory, draft
):
    """The rest of the keyboard journey: submit for signing, then sign, by keyboard only.
    Each step's message is heard once, from the page's one live region."""
    promise, _first, _second = draft
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => (" + RECORD_ANNOUNCEMENTS + ")(),"
        " {once: true, capture: true});"
    )
    login(page, kalmar_coordinator.username, PASSWORD)
    page.goto(promise.get_absolute_url())
    page.get_by_role("button", name="Skicka för signering").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#live-region")).to_contain_text("Version 1 är skickad för signering.")
    assert len(heard(page)) == 1 and heard(page)[0].startswith("Version 1 är skickad")

    page.context.clear_cookies()
    login(page, kalmar_police_chief.username, PASSWORD)
    page.goto(promise.get_absolute_url())
    page.get_by_role("link", name="Läs och signera").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_label("Ditt lösenord").focus()
    assert page.evaluate("document.activeElement.type") == "password"
    page.keyboard.type(PASSWORD)
    page.get_by_role("button", name="Signera version 1", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#live-region")).to_contain_text("Du har signerat version 1.")
    assert len(heard(page)) == 1 and heard(page)[0].startswith("Du har signerat version 1.")
    assert not page.console_errors, page.console_errors
