"""Caching of anonymous public pages.

A cached page is keyed by the publication generation (``core.publication``),
so publishing anything makes every cached page stale at once; by the active
language, so an English visitor never leaves English for a Swedish one; by
today's date, because "gällande" and "avslutat" follow from the signed period
and the date; by the path; and by the *canonical form of the query parameters
the view reads* — nothing else. Unknown parameters (``?utm_source=…``, a
random ``?x=123`` to bust the cache) and the order of the parameters make no
new entry. Browsers and proxies get ``Cache-Control: public`` with an ETag and
must revalidate, which turns repeat visits into cheap 304s without ever
showing stale content.

Only signed-in visitors get a page of their own (the header names them). A
session cookie alone does not make a visitor signed in: a cookie that is not a
session key, or names no session, is answered from the cache like any anonymous
visit, and is told to go away (see ``core.middleware``).
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from core.publication import generation

PAGE_TIMEOUT = 60 * 60

#: ``request -> canonical query string`` (``""`` when the view reads none), or None when
#: the parameters are invalid: the view then answers (a 400 or 404) and nothing is cached.
CacheKeyParams = Callable[[HttpRequest], str | None]


def no_parameters(request: HttpRequest) -> str:
    """For views that read no query parameter: every query string is the same page."""
    return ""


def every_parameter(request: HttpRequest) -> str:
    """The whole query string in a fixed order: safe for a view that has not said what it reads."""
    return urlencode(sorted(request.GET.lists()), doseq=True)


def signed_in(request: HttpRequest) -> bool:
    """Whether the request comes from a signed-in user.

    Without a session cookie the session is not touched at all. A cookie that
    names no session has already been given an empty session by
    ``core.middleware.SessionAndCacheMiddleware`` (once its key is known to be
    bogus), so asking costs nothing; a real session was loaded by then anyway.
    """
    return settings.SESSION_COOKIE_NAME in request.COOKIES and SESSION_KEY in request.session


def _cache_key(request: HttpRequest, params: str) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    target = hashlib.sha256(f"{request.path}?{params}".encode()).hexdigest()
    return f"public-page:{generation()}:{language}:{timezone.localdate()}:{target}"


def public_page(view=None, *, params: CacheKeyParams = every_parameter):
    """Cache a public GET view for visitors who are not signed in.

    ``params`` gives the canonical form of the query parameters the view reads
    (``no_parameters`` for a view that reads none); the default keys on every
    parameter, in a fixed order.
    """
    if view is None:
        return lambda view: public_page(view, params=params)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or signed_in(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        canonical = params(request)
        if canonical is None:
            return view(request, *args, **kwargs)
        key = _cache_key(request, canonical)
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200:
                response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
                cache.set(key, response, PAGE_TIMEOUT)
        if response.status_code == 200 and request.headers.get("If-None-Match") == response.get(
            "ETag"
        ):
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = response["ETag"]
            patch_cache_control(not_modified, public=True, max_age=0, must_revalidate=True)
            return not_modified
        return response

    return wrapped
