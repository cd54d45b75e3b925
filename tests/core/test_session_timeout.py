"""Time limits (WCAG 2.2.1): what was typed survives a session that ended.

Through real views: the session row expires, the form is posted, the person
logs in again through the login page and lands on the form with what they
typed filled in — not saved on their behalf.
"""

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core.session_timeout import KEPT_FORM
from followups import services
from followups.models import FollowUp
from promises.models import Commitment
from tests.activities.conftest import kalmar_plan, kalmar_promise  # noqa: F401
from tests.activities.factories import CommitmentFactory, FollowUpFactory
from tests.factories import publish_working_copy

pytestmark = pytest.mark.django_db


@pytest.fixture
def followup(kalmar_plan, kalmar_coordinator):  # noqa: F811
    """A draft follow-up of five commitments: 26 fields to fill in."""
    promise = kalmar_plan.promise
    for n in range(5):
        CommitmentFactory(promise=promise, party=Commitment.Party.JOINT, text=f"Åtagande {n}.")
    publish_working_copy(promise)
    followup = FollowUpFactory(promise=promise, period_end_date=date(2020, 4, 30))
    services.followup_start_draft(user=kalmar_coordinator, followup=followup)
    return FollowUp.objects.get(pk=followup.pk)


def log_in(client, user, password, next_url=""):
    return client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": password, "next": next_url},
        follow=True,
    )


def end_the_session():
    """An hour without a request: the row is past its expiry (and still there)."""
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))


def post_form(html: str, field: str) -> tuple[lxml.html.FormElement, list[tuple[str, str]]]:
    """The form holding ``field`` and what a browser would post from it."""
    document = lxml.html.fromstring(html)
    [form] = [f for f in document.forms if field in f.fields]
    values = []
    # Not form.form_values(): it leaves out an input without a value attribute, which a
    # browser sends as "".
    for el in form.inputs:
        name = el.get("name")
        if not name or "disabled" in el.attrib:
            continue
        if el.tag == "input":
            kind = (el.get("type") or "text").lower()
            if kind in ("submit", "image", "reset", "file", "button"):
                continue
            if kind in ("checkbox", "radio"):
                if el.checked:
                    values.append((name, el.get("value") or "on"))
                continue
            values.append((name, el.get("value") or ""))
        elif el.tag == "select":
            chosen = list(el.value) if el.multiple else [el.value]
            values += [(name, v) for v in chosen if v is not None]
        else:
            # A browser drops the newline right after <textarea>; lxml keeps it.
            text = el.value or ""
            values.append((name, text[1:] if text.startswith("\n") else text))
    return form, values


def typed(values):
    """Type something into every text field; pick a status in every select."""
    result = []
    for n, (name, value) in enumerate(values):
        if name.endswith(("narrative", "outcome", "comment", "name", "unit", "note", "period")):
            value = f"Skrivet i fält {n}: trygghetsvandring i Oxhagen\nrad två & <b>"
        elif name.endswith(("figure", "value")):
            value = str(n + 3)
        elif name.endswith("status"):
            value = "delvis_genomford"
        result.append((name, value))
    return result


def as_post(values):
    data = {}
    for name, value in values:
        data.setdefault(name, []).append(value)
    return data


def test_a_followup_posted_after_the_timeout_is_filled_in_again_after_login(
    client, kalmar_coordinator, password, followup
):
    url = reverse("followups:followup-edit", args=[followup.pk])
    log_in(client, kalmar_coordinator, password)
    form, values = post_form(client.get(url).text, "narrative")
    mine = typed(values)
    visible = [f for f in form.inputs if f.get("type") not in ("hidden", "submit")]
    assert len(visible) >= 25
    assert sum(a != b for a, b in zip(values, mine, strict=True)) >= 25

    end_the_session()
    response = client.post(url, as_post(mine), HTTP_REFERER=f"http://testserver{url}")

    # To the login page, which names only the page to come back to.
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == reverse("accounts:login")
    assert parse_qs(target.query) == {"next": [url]}
    assert "Oxhagen" not in response["Location"]
    followup.refresh_from_db()
    assert followup.narrative == ""  # nothing was saved
    login_page = client.get(response["Location"])
    assert "Det du skickade är inte sparat men inte heller borta" in login_page.text
    # Kept server-side, in the new session's row; no password or CSRF token among it.
    [row] = [s for s in Session.objects.all() if KEPT_FORM in s.get_decoded()]
    kept = dict(row.get_decoded()[KEPT_FORM]["fields"])
    assert "csrfmiddlewaretoken" not in kept
    assert kept["narrative"] == [dict(mine)["narrative"]]

    # Logging in again lands on the form, filled in, with a note; still nothing saved.
    page = log_in(client, kalmar_coordinator, password, next_url=url)
    assert page.redirect_chain[-1][0] == url
    assert "Du var utloggad när du skickade formuläret, så inget är sparat än." in page.text
    _form, restored = post_form(page.text, "narrative")
    without_token = [(n, v) for n, v in restored if n != "csrfmiddlewaretoken"]
    assert without_token == [(n, v) for n, v in mine if n != "csrfmiddlewaretoken"]
    followup.refresh_from_db()
    assert followup.narrative == ""
    # Once only: the next visit shows the saved state.
    assert "Du var utloggad" not in client.get(url).text

    # Sending it now saves what was typed.
    saved = client.post(url, as_post(restored))
    assert saved.status_code == 302
    followup.refresh_from_db()
    assert followup.narrative == dict(mine)["narrative"]


def test_passwords_and_codes_are_not_kept(client, kalmar_coordinator, password, followup):
    url = reverse("followups:followup-edit", args=[followup.pk])
    log_in(client, kalmar_coordinator, password)
    end_the_session()
    client.post(url, {"narrative": "Text", "password": "hemligt", "code": "123456"})
    [row] = [s for s in Session.objects.all() if KEPT_FORM in s.get_decoded()]
    kept = dict(row.get_decoded()[KEPT_FORM]["fields"])
    assert kept == {"narrative": ["Text"]}


def test_someone_else_logging_in_does_not_get_the_text(
    client, kalmar_coordinator, kalmar_police_coordinator, password, followup
):
    url = reverse("followups:followup-edit", args=[followup.pk])
    log_in(client, kalmar_coordinator, password)
    end_the_session()
    client.post(url, {"narrative": "Bara för samordnaren"})
    page = log_in(client, kalmar_police_coordinator, password, next_url=url)
    assert "Bara för samordnaren" not in page.text
    assert "Du var utloggad" not in page.text


def test_htmx_gets_a_full_page_redirect_to_the_login(client, kalmar_coordinator, password):
    promise_url = reverse("promises:promise-list")
    log_in(client, kalmar_coordinator, password)
    end_the_session()
    response = client.get(
        promise_url,
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/arbetsyta/"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('accounts:login')}?next=/arbetsyta/"


def test_a_form_no_longer_on_the_page_is_listed_to_copy(
    client, kalmar_coordinator, password, followup
):
    """Posted to an action without a page of its own, from a page that no longer has
    the form: the text is shown on the page instead."""
    log_in(client, kalmar_coordinator, password)
    end_the_session()
    measure_url = reverse("activities:measure-create", args=[999999])
    client.post(
        measure_url,
        {"atgard-1-description": "Byt trasig belysning i gångtunneln", "atgard-1-owner": "Gata"},
        HTTP_REFERER="http://testserver/arbetsyta/",
    )
    page = log_in(client, kalmar_coordinator, password, next_url=measure_url)
    assert page.redirect_chain[-1][0] == "/arbetsyta/"
    assert "Formuläret finns inte längre på sidan" in page.text
    assert "Byt trasig belysning i gångtunneln" in page.text


def test_the_session_can_be_extended(client, kalmar_coordinator, password):
    log_in(client, kalmar_coordinator, password)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=4))
    response = client.post(reverse("session:extend"), {"next": "/arbetsyta/"})
    assert response.status_code == 302 and response["Location"] == "/arbetsyta/"
    [row] = Session.objects.all()
    assert row.expire_date > timezone.now() + timedelta(minutes=55)
    htmx = client.post(reverse("session:extend"), headers={"HX-Request": "true"})
    assert htmx.status_code == 204
    # Expired: to the login page, not an error.
    end_the_session()
    late = client.post(reverse("session:extend"), {"next": "/arbetsyta/"})
    assert late.status_code == 302 and late["Location"].startswith(reverse("accounts:login"))


def test_signed_in_pages_carry_the_warning(client, kalmar_coordinator, password):
    log_in(client, kalmar_coordinator, password)
    page = client.get(reverse("core:dashboard")).text
    banner = lxml.html.fromstring(page).get_element_by_id("sessionsvarning")
    assert banner.get("data-session-seconds") == "3600"
    assert banner.get("data-warning-seconds") == "300"
    assert banner.xpath(".//form[@method='post']//button")[0].text == "Fortsätt vara inloggad"
    client.logout()
    assert "sessionsvarning" not in client.get(reverse("public:home")).text
