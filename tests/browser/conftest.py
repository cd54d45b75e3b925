"""Playwright in the system Chromium, against a live server with the demo data."""

import os

import pytest
from django.core.management import call_command

# ``browser`` and ``axe`` are session fixtures in tests/conftest.py: one Chromium for the
# whole run, shared with the browser checks that live beside other tests.


@pytest.fixture
def demo(transactional_db, settings):
    """Demo data in the live server's database (flushed after each test; the reference
    data comes back after each flush, see tests/conftest.py)."""
    settings.DEBUG = True  # load_demo refuses to run without DEBUG
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    settings.DEBUG = False


@pytest.fixture
def page(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    console_errors = []
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.console_errors = console_errors
    yield page
    context.close()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core on the current page and fail with its report on any violation."""

    def check(page):
        results = axe.run(page)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
        assert not page.console_errors, page.console_errors

    return check


def login(page, username, password="demo-medborgarlofte"):
    """Log in as a person would; demo signatories then type the code their app shows."""
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    if "/konto/tvastegsverifiering/" in page.url:
        page.get_by_label("Kod från appen eller reservkod").fill(current_code(username))
        page.get_by_role("button", name="Fortsätt").click()
        page.wait_for_load_state()


def current_code(username):
    """The code the demo account's authenticator shows, a fresh 30-second step each time."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import totp_code

    user = get_user_model().objects.get(username=username)
    # A code is accepted once per step; a test that logs in and then signs needs two.
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    return totp_code(user)
