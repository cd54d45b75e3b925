"""Password reset that tells nobody whether an account exists.

The request does the same work whatever address is typed: it enqueues one
task with the address and answers "sent". The task (in the worker, outside
the request) looks the address up and, only if an active account has it,
sends the link. Requests are rate-limited per client address and per e-mail
address; past the limit the answer is the same, nothing is sent.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.clientip import client_ip


def _allowed(key: str, limit: int, seconds: int) -> bool:
    if cache.add(key, 1, timeout=seconds):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:
        cache.set(key, 1, timeout=seconds)
        return True


def request_reset(request, email: str) -> None:
    """Queue a reset for ``email`` unless this client or this address asked too often."""
    address = email.strip().lower()
    ip_ok = _allowed(
        f"password-reset:ip:{client_ip(request)}",
        settings.PASSWORD_RESET_LIMIT_PER_IP,
        settings.PASSWORD_RESET_WINDOW_SECONDS,
    )
    address_ok = _allowed(
        f"password-reset:address:{address}",
        settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
        settings.PASSWORD_RESET_WINDOW_SECONDS,
    )
    if ip_ok and address_ok:
        send_reset_link.enqueue(address, settings.SITE_URL)


@task
def send_reset_link(email: str, site_url: str) -> int:
    """Send the reset link to each active account with ``email``; nothing otherwise."""
    protocol, domain = site_url.split("://", 1)
    users = get_user_model().objects.filter(
        email__iexact=email, is_active=True, erased_at__isnull=True
    )
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for user in users:
            if not user.has_usable_password():
                continue
            body = render_to_string(
                "registration/password_reset_email.txt",
                {
                    "user": user,
                    "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                    "protocol": protocol,
                    "domain": domain,
                },
            )
            subject = _("Återställ ditt lösenord till Medborgarlöfte")
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return sent
