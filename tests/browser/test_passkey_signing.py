"""A signatory enrols a passkey and signs with it, in Chromium's virtual authenticator.

The passkey's challenge carries the SHA-256 of the version being signed, so
the authenticator's answer approves exactly that version.
"""

import pytest

from promises.models import Promise, Signature
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def virtual_authenticator(page):
    """Chromium's virtual authenticator (CDP), answering as a platform passkey would."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def test_enrol_a_passkey_and_sign_with_it(page, assert_accessible):
    login(page, "kalmar-lpo-chef")
    cdp, authenticator = virtual_authenticator(page)

    page.goto("/konto/sakerhet/nyckel/")
    assert_accessible(page)
    page.get_by_label("Namn på nyckeln").fill("Telefonen")
    page.get_by_role("button", name="Registrera nyckeln").click()
    page.wait_for_url("**/konto/sakerhet/reservkoder/")
    assert "Säkerhetsnyckeln är registrerad." in page.locator(".messages").inner_text()
    held = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(held["credentials"]) == 1

    promise = Promise.objects.get(title="Medborgarlöften 2019–2020")
    page.goto(f"/arbetsyta/loften/{promise.pk}/signera/")
    assert_accessible(page)
    page.get_by_label("Ditt lösenord").fill("demo-medborgarlofte")
    page.get_by_role("button", name="Signera version 1 med säkerhetsnyckel").click()
    page.wait_for_url(f"**/arbetsyta/loften/{promise.pk}/")
    assert "Du har signerat version 1." in page.locator(".messages").inner_text()

    signature = Signature.objects.get(version__promise=promise, signer__username="kalmar-lpo-chef")
    assert signature.method == Signature.Method.PASSWORD_PASSKEY
    assert signature.content_sha256 == promise.current_version().content_sha256
