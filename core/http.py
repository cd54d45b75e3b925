"""Content negotiation shared by the page cache and the bulk files."""

from django.http import HttpRequest


def accepts_gzip(request: HttpRequest) -> bool:
    """The client takes ``Content-Encoding: gzip`` (``gzip``, ``x-gzip`` or ``*``, with a
    quality above 0 when one is given)."""
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, _, params = coding.strip().partition(";")
        if name.strip().lower() in ("gzip", "x-gzip", "*"):
            quality = params.strip().removeprefix("q=")
            try:
                return not params or float(quality) > 0
            except ValueError:
                return False
    return False
