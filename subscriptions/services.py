"""Subscribing, confirming and unsubscribing: every change of a subscription.

Double opt-in: a request creates (or renews) an unconfirmed row and queues the
confirmation mail; nothing else is ever sent to an unconfirmed address, and
one left unconfirmed for ``CONFIRM_DAYS`` is deleted. The answer to a request
is the same whatever the address's state, so the form tells nobody who
subscribes; a confirmed subscription is left as it is and gets no mail.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.clientip import client_ip
from core.ratelimit import allowed
from organizations.models import Organisation
from subscriptions.models import Subscription

#: An unconfirmed address is kept this long, then deleted.
CONFIRM_DAYS = 2


def _setting(name: str, default: int) -> int:
    return getattr(settings, name, default)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise(email: str) -> str:
    return email.strip().lower()


def confirm_cutoff():
    return timezone.now() - timedelta(days=CONFIRM_DAYS)


def subscription_request(*, request, email: str, municipality: Organisation | None) -> None:
    """Ask for a subscription of ``email`` to ``municipality`` (None: the whole country).

    Past the limits per client address and per e-mail address the request is
    ignored, with the same answer to the caller.
    """
    address = normalise(email)
    window = _setting("SUBSCRIBE_WINDOW_SECONDS", 60 * 60)
    ip_ok = allowed(
        f"subscribe:ip:{client_ip(request)}", _setting("SUBSCRIBE_LIMIT_PER_IP", 10), window
    )
    address_key = hashlib.sha256(address.encode()).hexdigest()
    address_ok = allowed(
        f"subscribe:address:{address_key}", _setting("SUBSCRIBE_LIMIT_PER_ADDRESS", 3), window
    )
    if ip_ok and address_ok:
        _request(address, municipality)


@transaction.atomic
def _request(address: str, municipality: Organisation | None) -> None:
    from subscriptions import tasks

    subscriptions_prune()
    now = timezone.now()
    subscription, created = Subscription.objects.get_or_create(
        email=address,
        municipality=municipality,
        defaults={"unsubscribe_token": new_token(), "requested_at": now},
    )
    if subscription.is_confirmed:
        return
    if not created:
        subscription.requested_at = now
        subscription.save(update_fields=["requested_at"])
    pk = subscription.pk
    transaction.on_commit(lambda: tasks.send_confirmation.enqueue(pk))


def pending_for_token(token: str) -> Subscription | None:
    """The unconfirmed, unexpired subscription a confirmation link names, if any."""
    if not token or len(token) > 100:
        return None
    return (
        Subscription.objects.select_related("municipality")
        .filter(
            confirmed_at__isnull=True,
            requested_at__gte=confirm_cutoff(),
            confirm_token_sha256=token_sha256(token),
        )
        .first()
    )


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription | None:
    """Confirm with the one-time link; the link is spent. None for an unknown or old link."""
    subscription = pending_for_token(token)
    if subscription is None:
        return None
    subscription.confirmed_at = timezone.now()
    subscription.confirm_token_sha256 = ""
    subscription.save(update_fields=["confirmed_at", "confirm_token_sha256"])
    return subscription


def for_unsubscribe_token(token: str) -> Subscription | None:
    if not token or len(token) > 100:
        return None
    return (
        Subscription.objects.select_related("municipality").filter(unsubscribe_token=token).first()
    )


def subscription_cancel(*, token: str) -> bool:
    """Unsubscribe: the row, and with it the address, is deleted. Idempotent."""
    deleted, _ = Subscription.objects.filter(unsubscribe_token=token).delete() if token else (0, 0)
    return bool(deleted)


def subscriptions_prune() -> int:
    """Delete addresses that were never confirmed in time."""
    deleted, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, requested_at__lt=confirm_cutoff()
    ).delete()
    return deleted


def recipients(municipality_codes) -> list[Subscription]:
    """Confirmed subscriptions to any of these kommuner or to the whole country, one per
    address (a kommun's own subscription before the national one), in a fixed order."""
    rows = (
        Subscription.objects.filter(confirmed_at__isnull=False)
        .filter(
            Q(municipality__isnull=True)
            | Q(municipality__municipality_code__in=list(municipality_codes))
        )
        .select_related("municipality")
        .order_by("email", "pk")
    )
    chosen: dict[str, Subscription] = {}
    for row in rows:
        current = chosen.get(row.email)
        if current is None or (current.municipality_id is None and row.municipality_id):
            chosen[row.email] = row
    return [chosen[email] for email in sorted(chosen)]
