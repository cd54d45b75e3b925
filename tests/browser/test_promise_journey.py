"""A promise from first draft to the public page, in a real browser.

The kommun coordinator drafts it with commitments, the police coordinator
edits it, it is sent for signing, the police chief and the KS chair sign it
(re-entering their passwords), and then anyone can read it. axe-core checks
every workspace page on the way.
"""

import re

import pytest

from tests.browser.conftest import current_code, login

pytestmark = pytest.mark.browser

TITLE = "Medborgarlöfte Kalmar 2027"


def switch_user(page, username):
    page.context.clear_cookies()
    login(page, username)


OWNERS = {
    "police": ["Lokalpolisområde Kalmar"],
    "municipality": ["Kalmar kommun"],
    "joint": ["Lokalpolisområde Kalmar", "Kalmar kommun"],
}


def add_commitment(page, party, text):
    form = page.locator("#nytt-atagande")
    for owner in OWNERS[party]:
        form.get_by_label(owner, exact=True).check()
    form.get_by_label("Löftet").fill(text)
    form.get_by_role("button", name="Lägg till åtagandet").click()
    page.locator(".commitment-list li", has_text=text).wait_for()


def test_draft_edit_sign_and_publish(page, assert_accessible):
    # The kommun coordinator starts a draft from the promise list.
    login(page, "kalmar-samordnare")
    page.goto("/arbetsyta/loften/")
    assert_accessible(page)
    page.get_by_role("link", name="Nytt medborgarlöfte").first.click()
    assert_accessible(page)
    page.get_by_label("Rubrik").fill(TITLE)
    page.get_by_label("Gäller från").fill("2027-01-01")
    page.get_by_label("Gäller till").fill("2026-12-31")
    page.get_by_role("button", name="Skapa utkastet").click()
    # The period ends before it starts: the error is shown and linked from the summary.
    summary = page.locator(".error-summary")
    assert "Perioden kan inte sluta innan den börjar." in summary.inner_text()
    assert_accessible(page)
    page.get_by_label("Gäller till").fill("2027-12-31")
    page.get_by_role("button", name="Skapa utkastet").click()
    page.wait_for_url(re.compile(r"/arbetsyta/loften/\d+/$"))
    promise_url = page.url
    promise_id = int(re.search(r"/(\d+)/$", promise_url).group(1))
    assert page.get_by_role("heading", level=1).inner_text() == TITLE

    # Commitments are added in place (htmx), grouped by who promises.
    add_commitment(page, "police", "Polisen patrullerar till fots i centrum varje fredag.")
    add_commitment(page, "municipality", "Kommunen ordnar två trygghetsvandringar i Oxhagen.")
    add_commitment(page, "joint", "Vi berättar om arbetet tre gånger per år.")
    assert (
        page.locator("section.commitment-group", has_text="Polisen lovar").locator("li").count()
        == 1
    )
    assert_accessible(page)

    # The police coordinator edits the same draft.
    switch_user(page, "kalmar-kommunpolis")
    page.goto(promise_url)
    page.get_by_role("link", name="Ändra uppgifterna").click()
    assert_accessible(page)
    page.get_by_label("Inledning").fill("Polisen och Kalmar kommun lovar tillsammans.")
    page.get_by_role("button", name="Spara ändringarna").click()
    page.wait_for_url(promise_url)
    assert "Ändringarna är sparade." in page.locator(".messages").inner_text()

    # Inline edit of one commitment swaps only that commitment.
    item = page.locator(".commitment", has_text="Polisen patrullerar")
    item.get_by_role("link", name="Ändra").click()
    editor = page.locator("form[data-focus-first]")
    editor.get_by_label("Löftet").fill(
        "Polisen patrullerar till fots i centrum varje fredag och lördag."
    )
    assert_accessible(page)
    editor.get_by_role("button", name="Spara åtagandet").click()
    page.get_by_text("varje fredag och lördag.").wait_for()
    assert page.locator("form[data-focus-first]").count() == 0

    page.get_by_role("button", name="Skicka för signering").click()
    assert "Version 1 är skickad för signering." in page.locator(".messages").inner_text()
    assert_accessible(page)

    # The police chief reads the exact version and signs with the password and the app's code.
    for username in ("kalmar-lpo-chef", "kalmar-ks-ordforande"):
        switch_user(page, username)
        page.goto(promise_url)
        page.get_by_role("link", name="Läs och signera").click()
        assert "varje fredag och lördag." in page.locator(".snapshot").inner_text()
        assert re.search(r"[0-9a-f]{64}", page.locator(".snapshot code.sha").inner_text())
        assert_accessible(page)
        page.get_by_label("Ditt lösenord").fill("demo-medborgarlofte")
        page.get_by_label("Kod från appen eller reservkod").fill(current_code(username))
        page.get_by_role("button", name="Signera version 1", exact=True).click()
        page.wait_for_url(promise_url)
        assert "Du har signerat version 1." in page.locator(".messages").inner_text()
    assert "Löftet är nu publicerat." in page.locator(".messages").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Historik").click()
    assert_accessible(page)

    # Anyone can now read it on the public page.
    page.context.clear_cookies()
    response = page.goto(f"/medborgarloften/{promise_id}/")
    assert response.status == 200
    assert TITLE in page.content()

    # Changing the published promise starts a new draft; the diff shows what changed.
    login(page, "kalmar-samordnare")
    page.goto(promise_url)
    page.get_by_role("button", name="Ändra det publicerade löftet (nytt utkast)").click()
    page.get_by_role("link", name="Ändra uppgifterna").click()
    page.get_by_label("Rubrik").fill(f"{TITLE}, reviderat")
    page.get_by_role("button", name="Spara ändringarna").click()
    page.get_by_role("link", name="Jämför med den signerade versionen").click()
    assert "reviderat" in page.locator("dd.diff ins").first.inner_text()
    assert_accessible(page)
