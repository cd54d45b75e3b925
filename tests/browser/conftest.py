"""Playwright in the system Chromium, against a live server with the demo data."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium saknas på {CHROMIUM}: installera paketet chromium (se .ci/run).")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db, settings):
    """Reference and demo data in the live server's database (flushed after each test)."""
    from organizations.reference import ensure_reference_data

    ensure_reference_data()
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


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core on the current page and fail with its report on any violation."""

    def check(page):
        results = axe.run(page)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
        assert not page.console_errors, page.console_errors

    return check


def login(page, username, password="demo-medborgarlofte"):
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
