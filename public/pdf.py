"""The signed version of a published promise as a PDF/UA-1 document (WeasyPrint).

The PDF is rendered from the same published read model as the public page
(``promises.published``): the live version, verified against its hash.
WeasyPrint only ever reads local static files (the stylesheet); any other
address is refused, so rendering never touches the network. Fonts are the
system's (DejaVu). Rendering takes a second, so the bytes are cached per
version of the promise's scope, signed hash, state (gällande/avslutat) and language.
"""

import functools
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import publication
from promises.published import NotPublished, PublishedPromise, Unverifiable
from public.read import PromisePage, promise_page

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


def promise_pdf_html(page: PromisePage) -> str:
    """The HTML WeasyPrint lays out: the signed version, its outcomes and published follow-ups."""
    promise = page.promise
    return render_to_string(
        "public/pdf/promise.html",
        {
            "page": page,
            "promise": promise,
            "content": promise.content,
            "groups": page.groups,
            "parties": promise.party_names,
            "public_url": f"{settings.SITE_URL}{promise.url}",
            "LANGUAGE_CODE": translation.get_language(),
        },
    )


def render_promise_pdf(page: PromisePage) -> bytes:
    """The PDF/UA-1 bytes of the promise's published (signed) version."""
    from weasyprint import HTML

    html = promise_pdf_html(page)
    document = HTML(string=html, base_url=f"{settings.SITE_URL}/", url_fetcher=_fetcher_class()())
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def pdf_filename(promise: PublishedPromise) -> str:
    return f"medborgarlofte-{promise.id}-v{promise.version_number}.pdf"


@require_safe
@login_not_required
def promise_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed version of a published promise as a PDF; 404 unless published.

    409 with a short notice when the live version no longer matches its hash.
    """
    try:
        page = promise_page(pk)
    except NotPublished:
        raise Http404 from None
    except Unverifiable:
        return HttpResponse(
            _(
                "Den publicerade versionen stämmer inte med den kontrollsumma som parterna "
                "signerade och lämnas därför inte ut som PDF."
            ),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    promise = page.promise
    key = ":".join(
        [
            "public:pdf",
            # Renewed with the promise's own pages (core.publication), not by every
            # publication anywhere: an activity report elsewhere keeps this PDF cached.
            ".".join(
                str(v) for v in publication.scope_versions(publication.promise_scope(promise.id))
            ),
            str(promise.id),
            promise.content_sha256,
            promise.state(),
            translation.get_language() or "sv",
        ]
    )
    content = cache.get(key)
    if content is None:
        content = render_promise_pdf(page)
        cache.set(key, content, CACHE_SECONDS)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(promise)}"'
    return response
