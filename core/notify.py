"""Compose notification e-mail from templates and queue it once the transaction commits."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from core.tasks import send_email


def notify(users, *, subject: str, template_name: str, context: dict) -> None:
    """E-mail ``users`` (those with an address) after the current transaction commits.

    Nothing is sent for a transaction that rolls back, so a refused transition
    never tells anyone it happened.
    """
    recipients = sorted({user.email for user in users if user.email})
    if not recipients:
        return
    body = render_to_string(template_name, {**context, "SITE_URL": settings.SITE_URL})
    transaction.on_commit(lambda: send_email.enqueue(str(subject), body, recipients))
