"""The client's real address, also behind the reverse proxy the README describes.

Behind ``TRUSTED_PROXY_COUNT`` proxies that each append the address they
received the request from to ``X-Forwarded-For`` (nginx's
``$proxy_add_x_forwarded_for`` does), the client is the address the
outermost trusted proxy appended: the ``TRUSTED_PROXY_COUNT``-th from the
right. Anything further left was written by the client and is not trusted.
Without proxies (the default) it is ``REMOTE_ADDR``. Login throttling
(django-axes) and the password-reset rate limit key on this address, so
one attacker cannot lock every signatory out by sharing the proxy's IP.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
