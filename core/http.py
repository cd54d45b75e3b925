"""Content negotiation shared by the page cache and the bulk files."""

from functools import lru_cache

from django.http import HttpRequest


def accepts_gzip(request: HttpRequest) -> bool:
    """The client takes ``Content-Encoding: gzip`` (``gzip``, ``x-gzip`` or ``*``, with a
    quality above 0 when one is given).

    Read from ``META``: ``request.headers`` builds a mapping of every header, a
    tenth of a cached page's early answer."""
    return _takes_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))


@lru_cache(maxsize=256)  # browsers send a handful of different values
def _takes_gzip(accept_encoding: str) -> bool:
    for coding in accept_encoding.split(","):
        name, _, params = coding.strip().partition(";")
        if name.strip().lower() in ("gzip", "x-gzip", "*"):
            quality = params.strip().removeprefix("q=")
            try:
                return not params or float(quality) > 0
            except ValueError:
                return False
    return False
