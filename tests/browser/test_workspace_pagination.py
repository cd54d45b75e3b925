"""A paginated workspace list in a real browser: no axe violations, and the page links
are plain links a keyboard user follows."""

import pytest

from accounts.models import User
from organizations.models import Partnership
from tests.activities.factories import PromiseFactory
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_a_second_page_of_promises_is_accessible_and_reached_by_keyboard(page, assert_accessible):
    user = User.objects.get(username="katrineholm-samordnare")
    partnership = Partnership.objects.editable_by(user).order_by("pk").first()
    for n in range(30):
        PromiseFactory(partnership=partnership, title=f"Extra löfte {n:02}")

    login(page, "katrineholm-samordnare")
    page.goto("/arbetsyta/loften/")
    pages = page.get_by_role("navigation", name="Sidnumrering")
    assert pages.get_by_role("link", name="Sida 1").get_attribute("aria-current") == "page"
    assert_accessible(page)

    pages.get_by_role("link", name="Nästa").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/arbetsyta/loften/?sida=2")
    pages = page.get_by_role("navigation", name="Sidnumrering")
    assert pages.get_by_role("link", name="Sida 2").get_attribute("aria-current") == "page"
    assert_accessible(page)
