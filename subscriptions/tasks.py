"""The subscription mail, sent by the tasks worker (Django's tasks API, see ``core.tasks``).

Tasks take row ids, never addresses, so the task queue keeps no copy of an
address. What a notification says is read from the published read model
(``promises.published``, ``followups.selectors.public_followups``), never from
the working copy; a promise or follow-up that is not public (any more) sends
nothing.
"""

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from subscriptions import services
from subscriptions.models import Subscription


def unsubscribe_url(subscription: Subscription) -> str:
    path = reverse("subscriptions:unsubscribe", kwargs={"token": subscription.unsubscribe_token})
    return f"{settings.SITE_URL}{path}"


def _message(subscription: Subscription, subject: str, template_name: str, context: dict):
    """One mail to one subscriber, with RFC 8058 one-click unsubscribe headers."""
    url = unsubscribe_url(subscription)
    body = render_to_string(
        template_name,
        {
            **context,
            "subscription": subscription,
            "unsubscribe_url": url,
            "SITE_URL": settings.SITE_URL,
        },
    )
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


@task
def send_confirmation(subscription_id: int) -> int:
    """The double opt-in mail: a one-time link, made here so only the mail holds it."""
    subscription = (
        Subscription.objects.select_related("municipality")
        .filter(pk=subscription_id, confirmed_at__isnull=True)
        .first()
    )
    if subscription is None:
        return 0
    token = services.new_token()
    Subscription.objects.filter(pk=subscription.pk).update(
        confirm_token_sha256=services.token_sha256(token)
    )
    with override(settings.LANGUAGE_CODE):
        path = reverse("subscriptions:confirm", kwargs={"token": token})
        message = _message(
            subscription,
            _("Bekräfta din prenumeration på medborgarlöften"),
            "subscriptions/email/confirm.txt",
            {"confirm_url": f"{settings.SITE_URL}{path}", "days": services.CONFIRM_DAYS},
        )
        return message.send()


def _nobody_to_tell() -> bool:
    """No confirmed subscription anywhere: nothing to read or send (one query, before
    the published promise is built)."""
    return not Subscription.objects.filter(confirmed_at__isnull=False).exists()


def _send_to_all(codes, subject: str, template_name: str, context: dict) -> int:
    subscribers = services.recipients(codes)
    if not subscribers:
        return 0
    messages = [_message(s, subject, template_name, context) for s in subscribers]
    with mailers.default as connection:
        return connection.send_messages(messages) or 0


@task
def notify_promise_published(promise_id: int) -> int:
    """A promise was signed and published: tell its kommuner's and the country's subscribers."""
    from promises.published import try_published_promise

    services.subscriptions_prune()
    if _nobody_to_tell():
        return 0
    with override(settings.LANGUAGE_CODE):
        promise = try_published_promise(promise_id)
        if promise is None:
            return 0
        codes = [m.municipality_code for m in promise.municipalities if m.municipality_code]
        return _send_to_all(
            codes,
            _("Nytt medborgarlöfte: %(title)s") % {"title": promise.title},
            "subscriptions/email/promise_published.txt",
            {"promise": promise, "promise_url": f"{settings.SITE_URL}{promise.url}"},
        )


@task
def notify_followup_published(followup_id: int) -> int:
    """A follow-up was published: tell the subscribers of the promise's kommuner."""
    from followups.selectors import public_followups
    from promises.published import try_published_promise

    services.subscriptions_prune()
    if _nobody_to_tell():
        return 0
    with override(settings.LANGUAGE_CODE):
        followup = public_followups().filter(pk=followup_id).first()
        promise = try_published_promise(followup.promise_id) if followup else None
        if promise is None:
            return 0
        codes = [m.municipality_code for m in promise.municipalities if m.municipality_code]
        url = f"{settings.SITE_URL}{promise.url}#{followup.public_anchor}"
        return _send_to_all(
            codes,
            _("Ny uppföljning: %(followup)s, %(title)s")
            % {"followup": followup.title, "title": promise.title},
            "subscriptions/email/followup_published.txt",
            {
                "promise": promise,
                "followup": followup,
                "followup_url": url,
                "published_on": timezone.localdate(followup.published_at),
            },
        )
