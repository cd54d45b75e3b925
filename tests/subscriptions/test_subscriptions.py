"""E-mail subscriptions end to end, with the locmem mail backend.

Double opt-in, one mail per publication, RFC 8058 one-click unsubscribe that
erases the address, the same answer for every address, rate limits.
"""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from followups import services as followup_services
from organizations.models import Membership
from subscriptions import services
from subscriptions.models import Subscription
from tests.activities.factories import CommitmentFactory, FollowUpFactory, PromiseFactory
from tests.factories import MembershipFactory, publish_working_copy

pytestmark = pytest.mark.django_db

ADDRESS = "boende@example.se"


@pytest.fixture
def katrineholm_police_coordinator(katrineholm_partnership, lpo_katrineholm):
    return MembershipFactory(organisation=lpo_katrineholm, role=Membership.Role.COORDINATOR).user


@pytest.fixture
def katrineholm_promise(katrineholm_partnership):
    promise = PromiseFactory(
        partnership=katrineholm_partnership, title="Medborgarlöfte Katrineholm 2020"
    )
    CommitmentFactory(promise=promise, text="Polisen gör trafikkontroller vid skolorna.")
    publish_working_copy(promise)
    return promise


def publish_followup(promise, coordinator, police, start):
    """A follow-up through the real services: draft, approved by both sides, published."""
    followup = FollowUpFactory(
        promise=promise,
        title=f"Period från {start.isoformat()}",
        period_start_date=start,
        period_end_date=start + timedelta(days=90),
    )
    followup_services.followup_start_draft(user=coordinator, followup=followup)
    followup_services.followup_approve(user=coordinator, followup=followup)
    followup_services.followup_approve(user=police, followup=followup)
    followup_services.followup_publish(user=coordinator, followup=followup)
    return followup


def mail_to(outbox, address):
    return [m for m in outbox if address in m.to]


def link(body, name):
    found = re.search(rf"https?://\S+/prenumerera/{name}/[\w-]+/", body)
    assert found, body
    return found[0]


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def test_opt_in_notification_and_one_click_unsubscribe(
    client,
    mailoutbox,
    katrineholm,
    katrineholm_promise,
    katrineholm_coordinator,
    katrineholm_police_coordinator,
    django_capture_on_commit_callbacks,
):
    # The kommun's public page carries the form; it posts to the subscribe view.
    page = client.get(reverse("public:municipality-detail", args=[katrineholm.slug]))
    assert 'action="/prenumerera/"' in page.text and 'name="email"' in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("subscriptions:subscribe"),
            {"email": "Boende@Example.se", "kommun": "katrineholm"},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("subscriptions:subscribe-sent")
    [confirmation] = mail_to(mailoutbox, ADDRESS)
    assert confirmation.subject == "Bekräfta din prenumeration på medborgarlöften"
    assert "Katrineholms kommun" in confirmation.body
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.municipality) == (ADDRESS, katrineholm)
    assert subscription.confirmed_at is None
    confirm_url = link(confirmation.body, "bekrafta")
    # Only the hash of the one-time link is stored.
    assert confirm_url.rstrip("/").rsplit("/", 1)[1] not in subscription.confirm_token_sha256

    # Nothing but the confirmation is sent before the address is confirmed.
    with django_capture_on_commit_callbacks(execute=True):
        publish_followup(
            katrineholm_promise,
            katrineholm_coordinator,
            katrineholm_police_coordinator,
            date(2020, 1, 1),
        )
    assert len(mail_to(mailoutbox, ADDRESS)) == 1

    # GET only asks (mail scanners follow links); the POST confirms, once.
    assert "Ja, bekräfta" in client.get(path_of(confirm_url)).text
    Subscription.objects.get(confirmed_at__isnull=True)
    assert client.post(path_of(confirm_url)).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None
    assert client.post(path_of(confirm_url)).status_code == 404  # the link is spent

    # A follow-up is published: exactly one mail, in Swedish, from the published read model.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        followup = publish_followup(
            katrineholm_promise,
            katrineholm_coordinator,
            katrineholm_police_coordinator,
            date(2020, 5, 1),
        )
    [notice] = mail_to(mailoutbox, ADDRESS)
    assert notice.subject == f"Ny uppföljning: {followup.title}, Medborgarlöfte Katrineholm 2020"
    assert "En ny uppföljning är publicerad" in notice.body
    assert f"/medborgarloften/{katrineholm_promise.pk}/#uppfoljning-{followup.pk}" in notice.body
    unsubscribe_url = link(notice.body, "avsluta")
    assert unsubscribe_url.startswith("http")
    assert notice.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    message = notice.message()
    assert message["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # RFC 8058: the mail client POSTs the header's URL, no cookies, no CSRF token.
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        path_of(unsubscribe_url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.filter(email=ADDRESS).exists()
    assert not Subscription.objects.exists()  # the address is erased, not flagged

    # No mail after unsubscribing.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish_followup(
            katrineholm_promise,
            katrineholm_coordinator,
            katrineholm_police_coordinator,
            date(2020, 9, 1),
        )
    assert mail_to(mailoutbox, ADDRESS) == []


def test_the_visible_unsubscribe_link_is_a_page_with_a_button(client, katrineholm):
    subscription = Subscription.objects.create(
        email=ADDRESS,
        municipality=katrineholm,
        unsubscribe_token=services.new_token(),
        requested_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    url = reverse("subscriptions:unsubscribe", args=[subscription.unsubscribe_token])
    page = client.get(url)
    assert page.status_code == 200
    assert "Avsluta och radera min adress" in page.text
    assert Subscription.objects.exists()  # a GET changes nothing
    assert "adressen är raderad" in client.post(url).text
    assert not Subscription.objects.exists()
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 200  # the same answer, again


def test_a_published_promise_reaches_the_kommun_and_the_whole_country(
    client,
    mailoutbox,
    katrineholm,
    kalmar,
    katrineholm_partnership,
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    for email, scope in [
        ("kommun@example.se", katrineholm),
        ("landet@example.se", None),
        ("bada@example.se", katrineholm),
        ("bada@example.se", None),
        ("kalmar@example.se", kalmar),
        ("obekraftad@example.se", katrineholm),
    ]:
        Subscription.objects.create(
            email=email,
            municipality=scope,
            unsubscribe_token=services.new_token(),
            requested_at=now,
            confirmed_at=None if email.startswith("obekraftad") else now,
        )
    promise = PromiseFactory(partnership=katrineholm_partnership, title="Trygg i Katrineholm")
    with django_capture_on_commit_callbacks(execute=True):
        publish_working_copy(promise)  # the shortcut does not notify …
        from subscriptions.publishing import promise_published

        promise_published(promise)  # … the service's hook does
    recipients = sorted(address for m in mailoutbox for address in m.to)
    # One mail per address; the kommun's subscription wins over the national one.
    assert recipients == ["bada@example.se", "kommun@example.se", "landet@example.se"]
    both = mail_to(mailoutbox, "bada@example.se")[0]
    kommun_row = Subscription.objects.get(email="bada@example.se", municipality=katrineholm)
    assert kommun_row.unsubscribe_token in both.extra_headers["List-Unsubscribe"]
    assert both.subject == "Nytt medborgarlöfte: Trygg i Katrineholm"
    assert "Läs löftet:" in both.body


def test_the_same_answer_whatever_the_address(client, mailoutbox, katrineholm):
    url = reverse("subscriptions:subscribe")
    data = {"email": ADDRESS, "kommun": "katrineholm"}
    first = client.post(url, data)
    Subscription.objects.update(confirmed_at=timezone.now())
    mailoutbox.clear()
    again = client.post(url, data)  # already subscribed: same answer, no mail
    assert (first.status_code, first["Location"]) == (again.status_code, again["Location"])
    assert mailoutbox == []
    assert Subscription.objects.count() == 1
    invalid = client.post(url, {"email": "inte en adress", "kommun": "katrineholm"})
    assert invalid.status_code == 400
    assert "Skriv en e-postadress som namn@exempel.se." in invalid.text
    assert 'class="alert alert-danger error-summary"' in invalid.text


def test_subscribe_is_rate_limited_per_client_and_per_address(
    client, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SUBSCRIBE_LIMIT_PER_IP = 3
    settings.SUBSCRIBE_LIMIT_PER_ADDRESS = 2
    url = reverse("subscriptions:subscribe")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(url, {"email": ADDRESS, "kommun": "hela-landet"})["Location"]
            for _ in range(4)
        ]
    assert set(answers) == {reverse("subscriptions:subscribe-sent")}
    assert len(mailoutbox) == 2  # past the per-address limit: same answer, nothing sent
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            client.post(url, {"email": f"annan{n}@example.se", "kommun": "hela-landet"})
    # The client had three requests in all: the fourth and later ones sent nothing.
    assert len(mailoutbox) == 2
    assert Subscription.objects.count() == 1


def test_unconfirmed_addresses_expire(client, katrineholm):
    old = Subscription.objects.create(
        email="gammal@example.se",
        municipality=katrineholm,
        unsubscribe_token=services.new_token(),
        requested_at=timezone.now() - timedelta(days=services.CONFIRM_DAYS, minutes=1),
    )
    token = services.new_token()
    Subscription.objects.filter(pk=old.pk).update(confirm_token_sha256=services.token_sha256(token))
    assert client.post(reverse("subscriptions:confirm", args=[token])).status_code == 404
    assert services.subscriptions_prune() == 1
    assert not Subscription.objects.exists()


def test_no_mail_for_a_followup_that_is_not_public(
    katrineholm_promise, katrineholm, mailoutbox, django_capture_on_commit_callbacks
):
    from subscriptions.tasks import notify_followup_published

    Subscription.objects.create(
        email=ADDRESS,
        municipality=katrineholm,
        unsubscribe_token=services.new_token(),
        requested_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    draft = FollowUpFactory(promise=katrineholm_promise, status="utkast")
    assert notify_followup_published.call(draft.pk) == 0
    assert mailoutbox == []


def test_with_nobody_subscribed_a_publication_reads_no_promise(
    katrineholm, katrineholm_promise, django_assert_num_queries
):
    """Without a confirmed subscriber the tasks stop before the published promise is built:
    the prune and one existence check, for every publication of every kommun."""
    from subscriptions import tasks

    now = timezone.now()
    Subscription.objects.create(
        email="obekraftad@example.se",
        municipality=katrineholm,
        unsubscribe_token=services.new_token(),
        requested_at=now,
    )
    with django_assert_num_queries(2):
        assert tasks.notify_promise_published.call(katrineholm_promise.pk) == 0
    with django_assert_num_queries(2):
        assert tasks.notify_followup_published.call(0) == 0
    Subscription.objects.update(confirmed_at=now)
    with django_assert_num_queries(3):  # someone to tell: the follow-up is looked up
        assert tasks.notify_followup_published.call(0) == 0  # no such follow-up: nothing sent
