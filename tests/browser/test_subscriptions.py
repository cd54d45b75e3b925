"""E-mail subscriptions in Chromium: the form on a kommun's page, the confirmation link
from the mail (django.core.mail's outbox), the unsubscribe link, axe on every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from subscriptions.models import Subscription

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, live_server, transactional_db, mailoutbox):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.console_errors = errors
    yield page
    context.close()


def path_in(body, name):
    found = re.search(rf"https?://\S+?(/prenumerera/{name}/[\w-]+/)", body)
    assert found, body
    return found[1]


def test_subscribe_confirm_and_unsubscribe(page, katrineholm, mailoutbox, assert_accessible):
    page.goto(f"/kommuner/{katrineholm.slug}/")
    form = page.locator("section.subscribe")
    assert "Få e-post om Katrineholms kommun" in form.inner_text()
    form.get_by_label("Din e-postadress").fill("boende@example.se")
    form.get_by_role("button", name="Prenumerera").click()
    page.get_by_role("heading", name="Titta i din e-post").wait_for()
    assert_accessible(page)

    [confirmation] = mail.outbox
    assert confirmation.to == ["boende@example.se"]
    page.goto(path_in(confirmation.body, "bekrafta"))
    assert_accessible(page)
    assert Subscription.objects.get().confirmed_at is None  # opening the link changes nothing
    page.get_by_role("button", name="Ja, bekräfta prenumerationen").click()
    page.get_by_role("heading", name="Prenumerationen är bekräftad").wait_for()
    assert_accessible(page)
    assert Subscription.objects.get().confirmed_at is not None

    page.get_by_role("link", name="Avsluta prenumerationen nu").click()
    page.get_by_role("heading", name="Avsluta prenumerationen").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Avsluta och radera min adress").click()
    page.get_by_role("heading", name="Prenumerationen är avslutad").wait_for()
    assert_accessible(page)
    assert not Subscription.objects.exists()


def test_a_wrong_address_gets_a_swedish_message(page, assert_accessible):
    page.goto("/prenumerera/")
    assert_accessible(page)
    page.get_by_label("Din e-postadress").fill("inte en adress")
    page.get_by_role("button", name="Prenumerera").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "Skriv en e-postadress som namn@exempel.se." in summary.inner_text()
    expect(summary).to_be_focused()
    # The form answers 400 on purpose; Chromium logs every 4xx document as a console error.
    page.console_errors[:] = [e for e in page.console_errors if "status of 400" not in e]
    assert_accessible(page)
    assert not Subscription.objects.exists()
