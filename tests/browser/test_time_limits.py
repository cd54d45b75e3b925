"""Time limits (WCAG 2.2.1) in a real browser: the warning, the button that extends the
session, and what was typed surviving a session that ended.

The session is two minutes here (``SESSION_COOKIE_AGE`` through the settings
fixture) and the page's clock is Playwright's: it is moved forward, nobody waits.
"""

from datetime import date, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from followups import services
from followups.models import FollowUp
from tests.activities.factories import CommitmentFactory, FollowUpFactory, PromiseFactory
from tests.browser.conftest import login
from tests.factories import PASSWORD, publish_working_copy

pytestmark = pytest.mark.browser


@pytest.fixture
def short_session(settings):
    settings.SESSION_COOKIE_AGE = 120
    settings.SESSION_WARNING_SECONDS = 60


@pytest.fixture
def page(browser, live_server, transactional_db, short_session):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.console_errors = errors
    page.clock.install()
    yield page
    context.close()


@pytest.fixture
def coordinator(kalmar_coordinator):
    return kalmar_coordinator


def expire_sessions():
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))


def test_warning_before_the_end_and_a_button_that_extends(page, coordinator, assert_accessible):
    login(page, coordinator.username, PASSWORD)
    page.goto("/arbetsyta/")
    banner = page.locator("#sessionsvarning")
    assert banner.is_hidden()
    page.get_by_role("link", name="Mitt arbete").focus()

    page.clock.fast_forward(61_000)  # a minute left of the two
    banner.wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "sessionsvarning"
    expect(page.locator("#live-region")).to_contain_text("loggas ut om 1 minut")
    assert banner.get_by_role("heading", name="Du loggas snart ut").is_visible()
    assert_accessible(page)

    [before] = Session.objects.values_list("expire_date", flat=True)
    banner.get_by_role("button", name="Fortsätt vara inloggad").click()
    banner.wait_for(state="hidden")
    [after] = Session.objects.values_list("expire_date", flat=True)
    assert after > before  # the server's session was renewed, not only the banner closed
    expect(page.locator("#live-region")).to_have_text("Du är inloggad 2 minuter till.")
    # The focus goes back where it was before the warning took it.
    assert page.evaluate("document.activeElement.textContent.trim()") == "Mitt arbete"

    # No more requests: the warning again, then the end, with a way back in.
    page.clock.fast_forward(121_000)
    page.get_by_role("heading", name="Du är utloggad").wait_for()
    assert banner.get_by_role("link", name="Logga in igen").is_visible()
    assert_accessible(page)


def test_the_warning_is_not_on_public_pages(page):
    page.goto("/")
    assert page.locator("#sessionsvarning").count() == 0


@pytest.fixture
def followup(coordinator, kalmar_partnership):
    promise = PromiseFactory(partnership=kalmar_partnership)
    for n in range(3):
        CommitmentFactory(promise=promise, text=f"Åtagande {n}.")
    publish_working_copy(promise)
    followup = FollowUpFactory(promise=promise, period_end_date=date(2020, 4, 30))
    services.followup_start_draft(user=coordinator, followup=followup)
    return FollowUp.objects.get(pk=followup.pk)


def test_typed_work_is_filled_in_again_after_logging_in(
    page, coordinator, followup, assert_accessible
):
    text = "Tre trygghetsvandringar i Oxhagen.\nBelysningen i gångtunneln är bytt."
    edit_url = reverse("followups:followup-edit", args=[followup.pk])
    login(page, coordinator.username, PASSWORD)
    page.goto(edit_url)
    narrative = page.locator("[name=narrative]")
    narrative.fill(text)
    comment = page.locator("[name='bedomning-0-comment']")
    comment.fill("Gjort i mars.")

    expire_sessions()  # an hour at lunch
    page.locator("form:has([name=narrative]) button[type=submit]").first.click()
    page.wait_for_url("**/konto/logga-in/**")
    assert "Det du skickade är inte sparat men inte heller borta" in page.content()
    followup.refresh_from_db()
    assert followup.narrative == ""

    page.get_by_label("Användarnamn").fill(coordinator.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"**{edit_url}")
    note = page.locator("[data-form-restored]")
    assert "inget är sparat än" in note.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-form-restored')")
    assert narrative.input_value() == text
    assert comment.input_value() == "Gjort i mars."
    assert_accessible(page)
    followup.refresh_from_db()
    assert followup.narrative == ""  # filled in, never posted on their behalf
