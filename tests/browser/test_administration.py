"""A kommun and its police area start on their own, from reference data only.

The national administrator invites the first local administrators of Malå
kommun and Lokalpolisområde Skellefteå. From then on no Django admin page is
used: they agree a partnership with four signing requirements, invite six
people who accept (the links are read from the test outbox), and the
kommun's coordinator writes the first promise. axe-core checks the pages on
the way.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://[^/\s]+(/konto/inbjudan/[A-Za-z0-9_-]+/)")
MALA = "Malå kommun"
POLICE = "Lokalpolisområde Skellefteå"


@pytest.fixture
def blank_page(browser, live_server, transactional_db):
    """A browser on a database with the reference data and one national administrator."""
    from organizations.reference import ensure_reference_data

    ensure_reference_data()
    admin = get_user_model().objects.create_superuser(
        "riksadmin", "riksadmin@example.invalid", PASSWORD
    )
    TOTPDevice.objects.create(user=admin, name="Kodapp", confirmed=True)
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    context.close()


def open_organisation(page, query, name):
    page.goto(f"/arbetsyta/organisationer/?q={query}")
    page.get_by_role("link", name=name, exact=True).click()


def invite(page, email, first, last, role, signing_role=None, title=""):
    page.get_by_role("link", name="Bjud in", exact=True).click()
    page.get_by_label("Förnamn").fill(first)
    page.get_by_label("Efternamn").fill(last)
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label(role, exact=True).check()
    if signing_role:
        page.get_by_label("Undertecknar i egenskap av").select_option(label=signing_role)
    if title:
        page.get_by_label("Titel", exact=True).fill(title)
    page.get_by_role("button", name="Skicka inbjudan").click()
    assert f"Inbjudan är skickad till {email}" in page.locator(".messages").inner_text()


def link_to(email) -> str:
    """The path of the newest invitation link sent to ``email``."""
    message = [m for m in mail.outbox if m.to == [email]][-1]
    return LINK.search(message.body).group(1)


def accept(page, email, username, *, check=None):
    """Open the link as a newcomer would, choose a username and password."""
    page.context.clear_cookies()
    page.goto(link_to(email))
    if check:
        check(page)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Välj lösenord").fill(PASSWORD)
    page.get_by_label("Samma lösenord igen").fill(PASSWORD)
    page.get_by_role("button", name="Skapa kontot").click()
    page.wait_for_load_state()


def switch_user(page, username):
    page.context.clear_cookies()
    login(page, username, PASSWORD)


def pending_totp_code(username) -> str:
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_a_kommun_and_its_police_area_start_on_their_own(blank_page, assert_accessible):
    page = blank_page

    # The national administrator invites the first local administrator of each party.
    login(page, "riksadmin", PASSWORD)
    open_organisation(page, "Malå", MALA)
    assert_accessible(page)
    invite(page, "admin@mala.example", "Maja", "Malm", "Lokal administratör")
    open_organisation(page, "Skellefteå", POLICE)
    invite(page, "admin@polisen.example", "Pelle", "Polis", "Lokal administratör")

    # Malå's administrator accepts and is guided to the next steps.
    accept(page, "admin@mala.example", "maja", check=assert_accessible)
    assert page.url.endswith("/arbetsyta/")
    assert "Kom igång: Malå kommun" in page.content()
    assert_accessible(page)

    # She proposes the partnership to the police area, two-factor signing required …
    page.get_by_role("link", name="Kom överens om samverkan").click()
    assert page.get_by_label(MALA).is_checked()
    page.get_by_label("Överenskommelsens beteckning").fill("KS 2024/17")
    page.get_by_label("Överenskommelsen gäller från").fill("2024-01-01")
    page.get_by_label("Överenskommelsen gäller till").fill("2027-12-31")
    page.get_by_label("Kräv tvåstegsverifiering vid underskrift").check()
    assert_accessible(page)
    page.get_by_role("button", name="Skicka förslaget").click()

    # … with four signatures instead of the usual two.
    page.get_by_role("link", name="Ändra kraven på underskrifter").click()
    rows = [
        (f"Lokalpolisområdeschef – {POLICE}", ""),
        (f"Kommunpolis – {POLICE}", ""),
        (f"Kommunchef eller kommundirektör – {MALA}", "Kommunchef"),
        (f"Kommunalråd – {MALA}", ""),
    ]
    for number, (holder, title) in enumerate(rows, start=1):
        row = page.get_by_role("group", name=f"Underskrift {number}")
        row.get_by_label("Vem skriver under").select_option(label=holder)
        row.get_by_label("Titel på dokumentet").fill(title)
    assert_accessible(page)
    page.get_by_role("button", name="Spara kraven i förslaget").click()
    required = page.locator("h2:has-text('Underskrifter som krävs') + ol li").all_inner_texts()
    assert [r.split(",")[0] for r in required] == [
        "Lokalpolisområdeschef",
        "Kommunpolis",
        "Kommunchef",
        "Kommunalråd",
    ]
    assert_accessible(page)

    # The police area's administrator accepts it: the partnership is agreed.
    accept(page, "admin@polisen.example", "pelle")
    page.get_by_role("link", name="Kom överens om samverkan").click()
    page.get_by_role("button", name="Godta förslaget").click()
    assert "Samverkan är överenskommen" in page.locator(".messages").inner_text()

    # Each side invites its own people.
    open_organisation(page, "Skellefteå", POLICE)
    invite(
        page,
        "chef@polisen.example",
        "Lo",
        "Chef",
        "Undertecknare",
        "Lokalpolisområdeschef",
        "Lokalpolisområdeschef",
    )
    invite(
        page, "kp@polisen.example", "Kim", "Polis", "Undertecknare", "Kommunpolis", "Kommunpolis"
    )
    invite(page, "samordnare@polisen.example", "Sam", "Polis", "Samordnare")
    switch_user(page, "maja")
    open_organisation(page, "Malå", MALA)
    invite(
        page,
        "samordnare@mala.example",
        "Sara",
        "Samordnare",
        "Samordnare",
        title="Folkhälsostrateg",
    )
    invite(
        page,
        "kommunchef@mala.example",
        "Karin",
        "Chef",
        "Undertecknare",
        "Kommunchef eller kommundirektör",
        "Kommunchef",
    )
    invite(
        page,
        "kommunalrad@mala.example",
        "Rolf",
        "Råd",
        "Undertecknare",
        "Kommunalråd",
        "Kommunalråd",
    )
    assert_accessible(page)

    # Six people accept. Signatories go on to add an authenticator app.
    for email, username in [
        ("chef@polisen.example", "lo"),
        ("kp@polisen.example", "kim"),
        ("kommunchef@mala.example", "karin"),
        ("kommunalrad@mala.example", "rolf"),
    ]:
        accept(page, email, username)
        assert page.url.endswith("/konto/sakerhet/app/"), page.url
    page.get_by_label("Kod från appen").fill(pending_totp_code("rolf"))
    page.get_by_role("button", name="Bekräfta").click()
    page.wait_for_url("**/konto/sakerhet/reservkoder/")
    accept(page, "samordnare@polisen.example", "sam")
    assert page.url.endswith("/arbetsyta/")
    accept(page, "samordnare@mala.example", "sara")

    # The kommun's coordinator writes the promise, from the first-run guide.
    page.get_by_role("link", name="Skriv medborgarlöftet").click()
    page.get_by_label("Rubrik").fill("Medborgarlöfte Malå 2025")
    page.get_by_label("Gäller från").fill("2025-01-01")
    page.get_by_label("Gäller till").fill("2025-12-31")
    page.get_by_role("button", name="Skapa utkastet").click()
    page.wait_for_url(re.compile(r"/arbetsyta/loften/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Medborgarlöfte Malå 2025"

    # Everything was recorded, and the history says who did it.
    switch_user(page, "maja")
    open_organisation(page, "Malå", MALA)
    page.get_by_role("link", name="Historik").click()
    history = page.locator("table").inner_text()
    assert "Sara Samordnare tackade ja till inbjudan" in history
    assert "godtog förslaget" in history
    assert_accessible(page)

    # Not one Django admin page on the way.
    assert page.requested and not [url for url in page.requested if "/admin/" in url]

    page.context.clear_cookies()
    page.goto("/kommuner/vingaker/")
    assert "Vingåkers kommun" in page.get_by_role("heading", level=1).inner_text()
