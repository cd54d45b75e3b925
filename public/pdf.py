"""The signed version of a published promise as a PDF/UA-1 document (WeasyPrint).

The PDF is rendered from the same signed snapshot as the public page. WeasyPrint
only ever reads local static files (the stylesheet); any other address is
refused, so rendering never touches the network. Fonts are the system's
(DejaVu). Rendering takes a second, so the bytes are cached per public
generation (bumped whenever something is published or ended).
"""

import functools
import logging
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from core import publication
from promises.models import Promise
from promises.selectors import group_commitments, published_promise

# WeasyPrint reports every rendering step at INFO; keep that out of the logs unless
# LOGGING in settings asks for it explicitly.
_progress_logger = logging.getLogger("weasyprint.progress")
if _progress_logger.level == logging.NOTSET:
    _progress_logger.setLevel(logging.WARNING)

PDF_VARIANT = "pdf/ua-1"
CACHE_SECONDS = 24 * 60 * 60
CONTENT_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


@functools.cache
def _fetcher_class():
    """Built on first use: importing WeasyPrint takes seconds, which URL loading should not."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        """Serves ``<SITE_URL>/static/…`` from local static files and refuses everything else."""

        def __init__(self):
            super().__init__(allowed_protocols=["http", "https"])
            self.prefix = f"{settings.SITE_URL}{settings.STATIC_URL}"

        def fetch(self, url, headers=None):
            if not url.startswith(self.prefix):
                raise ValueError(f"Bara lokala statiska filer får användas i PDF:en: {url}")
            name = unquote(urlsplit(url[len(self.prefix) :]).path)
            if not name or ".." in Path(name).parts:
                raise ValueError(f"Otillåten sökväg: {url}")
            path = finders.find(name)
            if path is None and staticfiles_storage.exists(name):
                # In production ``{% static %}`` gives hashed names, found after collectstatic.
                path = staticfiles_storage.path(name)
            if path is None:
                raise ValueError(f"Filen finns inte: {url}")
            content_type = CONTENT_TYPES.get(Path(name).suffix, "application/octet-stream")
            return URLFetcherResponse(
                url, Path(path).read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFilesOnly


def _parse(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def promise_pdf_html(promise: Promise) -> str:
    """The HTML WeasyPrint lays out: the published (signed) version only."""
    version = promise.published_version
    snapshot = version.snapshot
    partnership = snapshot["partnership"]
    return render_to_string(
        "public/pdf/promise.html",
        {
            "promise": promise,
            "version": version,
            "snapshot": snapshot,
            "groups": group_commitments(snapshot),
            "signatures": version.signatures.all(),
            "parties": [
                partnership["police_area"]["name"],
                *(m["name"] for m in partnership["municipalities"]),
                *(o["name"] for o in partnership["other_partners"]),
            ],
            "valid_from": _parse(snapshot["valid_from"]),
            "valid_to": _parse(snapshot["valid_to"]),
            "extended_to": _parse(snapshot["extended_to"]),
            "public_url": f"{settings.SITE_URL}{promise.get_public_url()}",
        },
    )


def render_promise_pdf(promise: Promise) -> bytes:
    """The PDF/UA-1 bytes of the promise's published (signed) version."""
    from weasyprint import HTML

    html = promise_pdf_html(promise)
    document = HTML(string=html, base_url=f"{settings.SITE_URL}/", url_fetcher=_fetcher_class()())
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def pdf_filename(promise: Promise) -> str:
    return f"medborgarlofte-{promise.pk}-v{promise.published_version.number}.pdf"


@require_GET
@login_not_required
def promise_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed version of a published promise as a PDF; 404 unless published."""
    try:
        promise = published_promise(pk)
    except Promise.DoesNotExist:
        raise Http404 from None
    version = promise.published_version
    key = (
        f"public:pdf:{publication.generation()}:{promise.pk}:{version.content_sha256}"
        f":{promise.status}"
    )
    content = cache.get(key)
    if content is None:
        content = render_promise_pdf(promise)
        cache.set(key, content, CACHE_SECONDS)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(promise)}"'
    return response
