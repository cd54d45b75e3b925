"""Middleware of the project's own: session cookies that name no session, and no-store."""

import hashlib
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.core.cache import cache
from django.utils.cache import add_never_cache_headers

#: The signed-in part of the site and the admin: nothing here may be kept by a browser or
#: a proxy, not even a login form (its CSRF token) or a redirect to it.
WORKSPACE_PREFIXES = ("/arbetsyta/", "/konto/", "/admin/")
#: Django's own session keys (``SessionBase._get_new_session_key``): 32 of [a-z0-9].
SESSION_KEY_LENGTH = 32
_SESSION_KEY_CHARS = frozenset(VALID_KEY_CHARS)


def _marker(key: str) -> str:
    return f"session:unknown:{hashlib.sha256(key.encode()).hexdigest()}"


def could_be_a_session(key: str) -> bool:
    """Whether ``key`` has the shape of a key this site gives out (and is not known bogus)."""
    if len(key) != SESSION_KEY_LENGTH or not set(key) <= _SESSION_KEY_CHARS:
        return False
    return not cache.get(_marker(key))


class SessionAndCacheMiddleware:
    """Two things every response needs, placed right after ``SessionMiddleware``.

    *A session cookie that names no session costs no query.* Several layers read
    ``request.user`` on every request (pghistory's middleware does, to label
    changes), and each read of a cookie's session is a query. A cookie that
    cannot be a session key, or whose key was looked up once and found to name
    no session, gets an empty session instead: no lookup, the page cache serves
    it like any anonymous visit, and the session middleware tells the browser to
    delete the cookie. Remembering a missing key is safe: keys are random, and
    signing in always gives the session a new one.

    *Workspace responses are never stored* (``Cache-Control: no-store``, private,
    no-cache): a workspace page shows drafts, names and internal lägesbilder, and
    on a shared computer neither the back button nor a proxy may bring them back
    after logout. By path rather than by view, so a 404, a 403 or a redirect to
    the login page under these prefixes is covered too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request):
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if key and not could_be_a_session(key):
            request.session = self.SessionStore()
        response = self.get_response(request)
        if key and request.session.session_key is None and request.session.accessed:
            # Looked up and not found (or flushed at logout): never look this key up again.
            cache.set(_marker(key), True, settings.SESSION_COOKIE_AGE)
        if request.path_info.startswith(WORKSPACE_PREFIXES):
            add_never_cache_headers(response)
        return response
