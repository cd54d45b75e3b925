"""Caching of anonymous public pages.

A cached page is keyed by the publication generation (``core.publication``),
so publishing anything makes every cached page stale at once; by the active
language, so an English visitor never leaves English for a Swedish one; and by
today's date, because "gällande" and "avslutat" follow from the signed period
and the date. Browsers and proxies get ``Cache-Control: public`` with an ETag
and must revalidate, which turns repeat visits into cheap 304s without ever
showing stale content.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from core.publication import generation

PAGE_TIMEOUT = 60 * 60


def public_page(view):
    """Cache a public GET view for visitors without a session cookie."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        if request.method not in ("GET", "HEAD") or not anonymous:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        path_hash = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        language = translation.get_language() or settings.LANGUAGE_CODE
        key = f"public-page:{generation()}:{language}:{timezone.localdate()}:{path_hash}"
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
            from django.http import HttpResponseNotModified

            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = response["ETag"]
            patch_cache_control(not_modified, public=True, max_age=0, must_revalidate=True)
            return not_modified
        return response

    return wrapped
